"""R5: a category counts once the district verified the family's claim (CategoryClaim), replacing
the unchecked Application.categories list; categories already set there were set by staff and are
kept as verified claims."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def categories_to_claims(apps, schema_editor):
    Application = apps.get_model("bj_enrollment", "Application")
    CategoryClaim = apps.get_model("bj_enrollment", "CategoryClaim")
    links = Application.categories.through.objects.all()
    CategoryClaim.objects.bulk_create(
        [
            CategoryClaim(
                application_id=link.application_id, category_id=link.category_id, document_number="—",
                status="verified",
            )
            for link in links.iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('bj_enrollment', '0010_walk_in'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalCategoryClaim',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('document_number', models.CharField(help_text="E.g. the officer's ID or the work residence permit number.", max_length=40, verbose_name='document number')),
                ('status', models.CharField(choices=[('pending', 'Awaiting verification'), ('verified', 'Verified'), ('refused', 'Not accepted')], default='pending', max_length=10, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('declared_at', models.DateTimeField(blank=True, editable=False, verbose_name='declared at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bj_enrollment.application', verbose_name='application')),
                ('category', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bj_enrollment.category', verbose_name='special category')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'historical category claim',
                'verbose_name_plural': 'historical category claims',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='CategoryClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document_number', models.CharField(help_text="E.g. the officer's ID or the work residence permit number.", max_length=40, verbose_name='document number')),
                ('status', models.CharField(choices=[('pending', 'Awaiting verification'), ('verified', 'Verified'), ('refused', 'Not accepted')], default='pending', max_length=10, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('declared_at', models.DateTimeField(auto_now_add=True, verbose_name='declared at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='category_claims', to='bj_enrollment.application', verbose_name='application')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='claims', to='bj_enrollment.category', verbose_name='special category')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'category claim',
                'verbose_name_plural': 'category claims',
                'ordering': ['-declared_at'],
                'constraints': [models.UniqueConstraint(fields=('application', 'category'), name='category_claim_once_per_category')],
            },
        ),
        migrations.RunPython(categories_to_claims, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='application',
            name='categories',
        ),
    ]
