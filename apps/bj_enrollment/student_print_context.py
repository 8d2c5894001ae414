"""What a student's print formats may show (R37 confirmation sheet): the family's own data, in full,
as plain values, with the R22-style number and verification code (the QR holds "<number> <code>",
as on the collection form, see print_context.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from apps.bj_enrollment.models import Student
from apps.bj_enrollment.print_context import verification_text
from apps.lowcode.printing.qr import qr_data_uri


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def student_print_context(student: Student) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        number, code = student.confirmation_number or "", student.verification_code or ""
        payload = verification_text(number, code) if number else ""
        hukou_place = " ".join(part for part in (
            student.hukou_province, student.hukou_district.name if student.hukou_district_id else "") if part)
        confirmed_at = timezone.localtime(student.confirmed_at) if student.confirmed_at else None
        return {
            "campaign": student.campaign.name,
            "district": student.district.name,
            "confirmation_number": number,
            "verification_code": code,
            "education_id": student.education_id,
            "name": student.name,
            "gender": str(student.get_gender_display()),
            "birth_date": _date(student.birth_date),
            "id_type": str(student.get_id_type_display()),
            "id_number": student.id_number,
            "hukou_place": hukou_place,
            "hukou_address": student.hukou_address,
            "graduating_school": student.graduating_school.name,
            "graduating_class": student.graduating_class,
            "mobile": student.mobile,
            "guardians": [
                {"name": g.name, "relationship": str(g.get_relationship_display()), "phone": g.phone,
                 "id_number": g.id_number}
                for g in student.guardians.all()
            ],
            "confirmed_at": confirmed_at.strftime("%Y-%m-%d %H:%M") if confirmed_at else "",
            "confirmation_method": str(student.get_confirmation_method_display()) if student.confirmation_method
            else "",
            "qr_payload": payload,
            "qr_code": qr_data_uri(payload) if payload else "",
            "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }


SAMPLE = {
    "campaign": "2026年义务教育入学（初中）",
    "district": "东城区",
    "confirmation_number": "26123456",
    "verification_code": "K7M2QX",
    "education_id": "G110101201401010011",
    "name": "李东华",
    "gender": "男",
    "birth_date": "2014-03-15",
    "id_type": "居民身份证",
    "id_number": "110101201403150011",
    "hukou_place": "北京市 东城区",
    "hukou_address": "东城区史家胡同1号",
    "graduating_school": "史家胡同小学",
    "graduating_class": "六年级1班",
    "mobile": "13912340000",
    "guardians": [{"name": "李大华", "relationship": "父亲", "phone": "13912340000", "id_number": ""}],
    "confirmed_at": "2026-04-20 10:30",
    "confirmation_method": "网上确认（服务平台）",
    "qr_payload": "26123456 K7M2QX",
    "generated_at": "2026-04-20 10:31",
}
SAMPLE["qr_code"] = qr_data_uri(SAMPLE["qr_payload"])
