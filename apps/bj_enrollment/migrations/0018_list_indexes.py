"""The desk lists' indexes end with (-registered_at, -id), the lists' ordering, so MariaDB reads a
page in index order instead of sorting all of a district's matching rows (issue #17)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bj_enrollment", "0017_documents")]

    operations = [
        migrations.RemoveIndex(model_name="application", name="app_district_state"),
        migrations.RemoveIndex(model_name="application", name="app_school_state"),
        migrations.RemoveIndex(model_name="application", name="app_registered"),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["district", "state", "-registered_at", "-id"], name="app_district_state"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["district", "-registered_at", "-id"], name="app_district_recent"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["school", "state", "-registered_at", "-id"], name="app_school_state"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-registered_at", "-id"], name="app_registered"),
        ),
    ]
