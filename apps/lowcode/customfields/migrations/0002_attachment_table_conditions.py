"""Attachment and table fields, shown-when / required-when conditions and sections (issue #14 item 3)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("lowcode_customfields", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customfield",
            name="field_type",
            field=models.CharField(
                choices=[
                    ("text", "Text"), ("number", "Number"), ("date", "Date"), ("select", "Select"),
                    ("checkbox", "Checkbox"), ("phone", "Mobile number"), ("id_number", "Resident ID number"),
                    ("attachment", "Attachment"), ("table", "Table"),
                ],
                default="text",
                max_length=16,
                verbose_name="field type",
            ),
        ),
        migrations.AlterField(
            model_name="customfield",
            name="options",
            field=models.TextField(
                blank=True,
                help_text="For select fields: one option per line. For attachments: the accepted kinds, one per "
                "line (jpeg, png, heic, pdf); empty: all of them.",
                verbose_name="options",
            ),
        ),
        migrations.AddField(
            model_name="customfield",
            name="max_size_mb",
            field=models.PositiveSmallIntegerField(
                blank=True, default=5, help_text="For attachments: the largest file accepted.", verbose_name="largest file (MB)"
            ),
        ),
        migrations.AddField(
            model_name="customfield",
            name="columns",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='For tables: the columns of each row, e.g. [{"fieldname": "name", "label": "姓名", '
                '"field_type": "text", "required": true}]; types text, number, date, select (with "options": '
                '[...]), checkbox, phone, id_number.',
                verbose_name="table columns",
            ),
        ),
        migrations.AddField(
            model_name="customfield",
            name="section",
            field=models.CharField(
                blank=True, help_text="Fields with the same section are shown together.", max_length=100,
                verbose_name="section",
            ),
        ),
        migrations.AddField(
            model_name="customfield",
            name="depends_on",
            field=models.CharField(
                blank=True,
                help_text='A condition on the document\'s fields and other custom fields, e.g. housing_type == '
                '"rented"; empty: always shown. A hidden field keeps no value.',
                max_length=300,
                verbose_name="shown when",
            ),
        ),
        migrations.AddField(
            model_name="customfield",
            name="mandatory_depends_on",
            field=models.CharField(
                blank=True,
                help_text="A condition that makes the field required, in the same form as “shown when”.",
                max_length=300,
                verbose_name="required when",
            ),
        ),
    ]
