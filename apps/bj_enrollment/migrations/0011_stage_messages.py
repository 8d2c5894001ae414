"""R30: the school-check reminder's lead time, and the shipped pre-admission message moved from the
state to the school's action, so a lottery placement (same state) gets its own message, not two."""

from django.db import migrations, models

SHIPPED_TEXT = (
    "【北京市义务教育入学服务平台】{{ child_name }}（编号{{ form_number }}）已被{{ school }}预录取，"
    "最终结果以{{ district }}教委确认为准。"
)


def pre_admission_on_the_action(apps, schema_editor):
    """Only the shipped template as shipped: an administrator's edit stays theirs."""
    apps.get_model("lowcode_messaging", "MessageTemplate").objects.filter(
        key="application_pre_admitted", event="state:pre_admitted", text=SHIPPED_TEXT
    ).update(event="action:Pre-admit")


class Migration(migrations.Migration):
    dependencies = [
        ("bj_enrollment", "0010_walk_in"),
        ("lowcode_messaging", "0002_sending_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="school_check_reminder_days",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text=(
                    "R30: families ready to print get one SMS this many days before their school-check days; 0: none."
                ),
                verbose_name="school-check reminder (days before)",
            ),
        ),
        migrations.RunPython(pre_admission_on_the_action, migrations.RunPython.noop),
    ]
