import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lowcode_messaging", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="messagelog",
            name="idempotency_key",
            field=models.CharField(blank=True, editable=False, max_length=32, verbose_name="idempotency key"),
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
                ],
                default="queued",
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="MessageAttempt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="attempt")),
                ("started_at", models.DateTimeField(auto_now_add=True, verbose_name="started at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("accepted", "Accepted by the provider"),
                            ("refused", "Refused by the provider"),
                            ("no_answer", "No answer from the provider"),
                            ("confirmed", "Provider confirmed an earlier attempt"),
                            ("not_received", "Provider had not received it"),
                            ("unknown", "Provider could not say"),
                        ],
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                ("detail", models.TextField(blank=True, verbose_name="detail")),
                (
                    "log",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_log",
                        to="lowcode_messaging.messagelog",
                        verbose_name="message",
                    ),
                ),
            ],
            options={
                "verbose_name": "delivery attempt",
                "verbose_name_plural": "delivery attempts",
                "ordering": ["log", "started_at", "pk"],
            },
        ),
    ]
