import secrets

from django.db import migrations, models

import apps.bj_enrollment.doctype.campaign


def give_each_campaign_its_own_key(apps, schema_editor):
    Campaign = apps.get_model("bj_enrollment", "Campaign")
    for campaign in Campaign.objects.all():
        campaign.lottery_key = secrets.token_hex(32)
        campaign.save(update_fields=["lottery_key"])


class Migration(migrations.Migration):
    dependencies = [("bj_enrollment", "0008_api_token_generation")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="lottery_key",
            field=models.CharField(
                default=apps.bj_enrollment.doctype.campaign.new_lottery_key, editable=False, max_length=64
            ),
        ),
        migrations.RunPython(give_each_campaign_its_own_key, migrations.RunPython.noop),
    ]
