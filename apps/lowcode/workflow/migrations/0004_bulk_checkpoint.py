from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lowcode_workflow", "0003_bulk_transition")]

    operations = [
        migrations.AddField(
            model_name="bulktransition",
            name="progressed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last progress"),
        ),
        migrations.AddField(
            model_name="bulktransition",
            name="resumed",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="resumptions"),
        ),
        migrations.AlterField(
            model_name="bulktransition",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("interrupted", "Interrupted, resuming"),
                    ("done", "Done"),
                    ("failed", "Stopped with an error"),
                ],
                default="queued",
                max_length=16,
                verbose_name="state",
            ),
        ),
    ]
