from django.db import migrations


class Migration(migrations.Migration):
    """Merges two migrations written at the same time: the junior-high students and the lottery's
    multiple-birth groups (both 0020)."""

    dependencies = [
        ("bj_enrollment", "0020_multiple_birth_groups"),
        ("bj_enrollment", "0020_students"),
    ]
    operations = []
