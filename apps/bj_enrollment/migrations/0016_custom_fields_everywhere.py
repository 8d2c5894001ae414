"""Custom fields on the child, guardian, property, school and school plan DocTypes (issue #14 item 3):
each gets the JSON column its custom values live in, as Application has since 0002."""

from django.db import migrations, models


def _column():
    return models.JSONField(blank=True, default=dict, editable=False, verbose_name="custom fields")


class Migration(migrations.Migration):

    dependencies = [
        ("bj_enrollment", "0015_roles_as_data"),
    ]

    operations = [
        migrations.AddField(model_name=name, name="custom", field=_column())
        for name in (
            "child", "historicalchild", "guardian", "historicalguardian", "property", "historicalproperty",
            "school", "schoolplan",
        )
    ]
