from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lowcode_messaging", "0002_sending_attempts")]

    operations = [
        migrations.AddField(
            model_name="messagelog",
            name="not_before",
            field=models.DateTimeField(
                blank=True,
                help_text="The owning app's rule: not sent before this time.",
                null=True,
                verbose_name="held until",
            ),
        ),
        migrations.AlterField(
            model_name="messagelog",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Sending failed"),
                    ("unknown", "Outcome unknown: check with the provider"),
                    ("dropped", "Not sent: the document moved on before its time"),
                ],
                default="queued",
                max_length=8,
                verbose_name="status",
            ),
        ),
    ]
