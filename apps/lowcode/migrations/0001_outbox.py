from django.db import migrations, models

import apps.lowcode.models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="OutboxJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "key",
                    models.CharField(
                        default=apps.lowcode.models.new_key,
                        editable=False,
                        max_length=32,
                        unique=True,
                        verbose_name="idempotency key",
                    ),
                ),
                ("func", models.CharField(max_length=200, verbose_name="job")),
                ("args", models.JSONField(blank=True, default=list, verbose_name="arguments")),
                ("kwargs", models.JSONField(blank=True, default=dict, verbose_name="keyword arguments")),
                ("queue", models.CharField(default="default", max_length=32, verbose_name="queue")),
                ("retry", models.JSONField(blank=True, default=dict, verbose_name="queue retries")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be queued"),
                            ("enqueued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("dead", "Given up"),
                        ],
                        default="pending",
                        max_length=8,
                        verbose_name="state",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("next_attempt_at", models.DateTimeField(verbose_name="overdue at")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
            ],
            options={
                "verbose_name": "background job",
                "verbose_name_plural": "background jobs",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")],
            },
        ),
    ]
