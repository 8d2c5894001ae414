"""ApplicationCount and the triggers that keep it equal to a fresh count (reports/counters.py)."""

from django.db import migrations, models


def install(apps, schema_editor):
    from apps.bj_enrollment.reports import counters

    if schema_editor.connection.vendor == "mysql":
        with schema_editor.connection.cursor() as cursor:
            for name in counters.TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for sql in counters.trigger_sql():
                cursor.execute(sql)
        counters.rebuild()


def uninstall(apps, schema_editor):
    from apps.bj_enrollment.reports import counters

    counters.uninstall()


class Migration(migrations.Migration):
    dependencies = [("bj_enrollment", "0018_list_indexes")]

    operations = [
        migrations.CreateModel(
            name="ApplicationCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("campaign_id", models.BigIntegerField()),
                ("district_id", models.BigIntegerField()),
                ("school_key", models.BigIntegerField()),
                ("state", models.CharField(max_length=32)),
                ("hukou_category", models.CharField(max_length=16)),
                ("day", models.DateField()),
                ("n", models.IntegerField(default=0)),
            ],
            options={"verbose_name": "application count", "verbose_name_plural": "application counts"},
        ),
        migrations.AddConstraint(
            model_name="applicationcount",
            constraint=models.UniqueConstraint(
                fields=("campaign_id", "district_id", "school_key", "state", "hukou_category", "day"),
                name="application_count_key",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
