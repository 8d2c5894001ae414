from django.db import migrations


class Migration(migrations.Migration):
    """Two changes made side by side (the stage messages and the category claims) joined again."""

    dependencies = [
        ("bj_enrollment", "0011_category_claims"),
        ("bj_enrollment", "0011_stage_messages"),
    ]

    operations = []
