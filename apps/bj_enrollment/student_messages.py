"""Messages about junior-high students (R37/R38): only the mobile on file hears about the student, the
context is the family's own data. The default templates are files in `message_templates/`
(student_*.json), loaded at migrate with the application's (messaging_setup.py)."""

from __future__ import annotations

from django.utils import timezone

from apps.bj_enrollment.models import Student
from apps.lowcode.messaging import registry
from apps.lowcode.workflow.states import parent_label

SAMPLE = {
    "name": "李东华",
    "education_id": "G110101201401010011",
    "campaign": "2026年义务教育入学（初中）",
    "district": "东城区",
    "graduating_school": "史家胡同小学",
    "school": "",
    "state": "待家长确认",
    "confirmation_number": "26123456",
    "confirmed_at": "2026-04-20 10:30",
    "today": "2026-04-20",
}


def student_audience(student: Student) -> registry.Audience:
    confirmed_at = timezone.localtime(student.confirmed_at).strftime("%Y-%m-%d %H:%M") if student.confirmed_at else ""
    return registry.Audience(
        recipients={"sms": [student.mobile]},
        context={
            "name": student.name,
            "education_id": student.education_id,
            "campaign": student.campaign.name,
            "district": student.district.name,
            "graduating_school": student.graduating_school.name,
            "school": student.school.name if student.school_id else "",
            "state": parent_label(student),
            "confirmation_number": student.confirmation_number or "",
            "confirmed_at": confirmed_at,
            "today": timezone.localdate().isoformat(),
        },
    )


registry.register(Student, audience=student_audience, sample=SAMPLE)
