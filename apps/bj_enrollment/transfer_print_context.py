"""What a transfer's print format may show (R39: the application printed for the family's signature):
the family's own data in full, as plain values."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from apps.bj_enrollment.models import Transfer
from apps.lowcode.workflow.states import label

SAMPLE = {
    "campaign": "2026年义务教育入学（初中）",
    "number": "T000001",
    "from_district": "东城区",
    "to_district": "西城区",
    "education_id": "G110101201401010011",
    "name": "李东华",
    "gender": "男",
    "birth_date": "2014-01-01",
    "id_type": "居民身份证",
    "id_number": "110101201401010011",
    "graduating_school": "史家胡同小学",
    "graduating_class": "六年级1班",
    "basis": "户籍",
    "document_number": "110102000123",
    "address": "西城区西长安街1号",
    "filed_at": "2026-05-08 09:30",
    "state": "转出区审核",
    "generated_at": "2026-05-08 09:31",
}


def transfer_print_context(transfer: Transfer) -> dict:
    student = transfer.student
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "campaign": student.campaign.name,
            "number": f"T{transfer.pk:06d}",
            "from_district": transfer.from_district.name,
            "to_district": transfer.to_district.name,
            "education_id": student.education_id,
            "name": student.name,
            "gender": str(student.get_gender_display()),
            "birth_date": student.birth_date.strftime("%Y-%m-%d") if student.birth_date else "",
            "id_type": str(student.get_id_type_display()),
            "id_number": student.id_number,
            "graduating_school": student.graduating_school.name,
            "graduating_class": student.graduating_class,
            "basis": str(transfer.get_basis_display()),
            "document_number": transfer.document_number,
            "address": transfer.address,
            "filed_at": timezone.localtime(transfer.created_at).strftime("%Y-%m-%d %H:%M"),
            "state": label(transfer),
            "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
