import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('lowcode_printing', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PrintFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=64, verbose_name='document ID')),
                ('error', models.TextField(verbose_name='error')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                ('document_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='document type')),
                ('print_format', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='failures', to='lowcode_printing.printformat', verbose_name='print format')),
            ],
            options={
                'verbose_name': 'print failure',
                'verbose_name_plural': 'print failures',
                'ordering': ['-created_at'],
            },
        ),
    ]
