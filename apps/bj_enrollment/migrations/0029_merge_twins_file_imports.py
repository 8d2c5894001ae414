from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bj_enrollment", "0028_graduate_file_imports"),
        ("bj_enrollment", "0028_student_twins"),
    ]

    operations = []
