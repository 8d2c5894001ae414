"""What an application's print formats may show: the parent's own data, in full, as plain values.

The collection form (R22) is a Chinese government form, so choice values are given in the site's
language whatever the desk user's language is. Templates receive dicts and strings only.

The QR code carries the text "<form number> <verification code>", not a URL: a school's scanner
types it into the desk's search box, which posts it (desk/scan.py), so the code never lands in an
access log or a browser history. The school sees the application only when the paper form matches
the system, and only within its own scope.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from apps.bj_enrollment.models import Application, Guardian
from apps.lowcode.customfields.values import custom_sections
from apps.lowcode.printing.qr import qr_data_uri

GUARDIAN_KEYS = ("name", "relationship", "nationality", "id_type", "id_number", "education", "phone", "employer",
                 "hukou_place")


def verification_text(form_number: str, verification_code: str) -> str:
    """What the QR holds and what a scanner types into the desk's search box."""
    return f"{form_number} {verification_code}"


def _date(value) -> str:
    return value.isoformat() if value else ""


def _guardian(guardian: Guardian | None) -> dict:
    if guardian is None:
        return dict.fromkeys(GUARDIAN_KEYS, "")
    return {
        "name": guardian.name,
        "relationship": str(guardian.get_relationship_display()) if guardian.relationship else "",
        "nationality": guardian.nationality,
        "id_type": str(guardian.get_id_type_display()),
        "id_number": guardian.id_number,
        "education": guardian.education,
        "phone": guardian.phone,
        "employer": guardian.employer,
        "hukou_place": guardian.hukou_place,
    }


def _custom_sections(app: Application, guardians: dict) -> list[dict]:
    """The custom fields flagged "print format" of the application and its rows, shown by their
    conditions, grouped by section (a row's fields without a section under the row's title)."""
    rows = [(app, "其他信息"), (app.child, "儿童补充信息")]
    rows += [(guardians[position], f"监护人（{'一二'[position - 1]}）补充信息") for position in (1, 2)
             if position in guardians]
    rows += [(prop, "房产补充信息") for prop in app.properties.all()[:1]]
    return [section for document, title in rows for section in custom_sections(document, "print", default_title=title)]


def application_print_context(app: Application) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        child = app.child
        guardians = {g.position: g for g in app.guardians.all()}
        payload = verification_text(app.form_number, app.verification_code)
        hukou_place = " ".join(part for part in (child.hukou_province,
                                                 child.hukou_district.name if child.hukou_district_id else "") if part)
        return {
            "campaign": app.campaign.name,
            "district": app.district.name,
            "form_number": app.form_number,
            "verification_code": app.verification_code,
            "hukou_category": str(app.get_hukou_category_display()),
            "nonlocal": not app.counts_as_local,  # R5: whose papers the district reviews (material number)
            "material_number": app.material_number,
            "remarks": app.remarks,
            "child": {
                "name": child.name,
                "gender": str(child.get_gender_display()),
                "nationality": child.nationality,
                "ethnicity": child.ethnicity,
                "birth_date": _date(child.birth_date),
                "id_type": str(child.get_id_type_display()),
                "id_number": child.id_number,
                "hukou_place": hukou_place,
                "hukou_address": child.hukou_address,
                "household_number": child.household_number,
            },
            "residence": {
                "district": app.residence_district.name if app.residence_district_id else "",
                "street": app.residence_street.name if app.residence_street_id else "",
                "address": app.residence_address,
            },
            "guardian1": _guardian(guardians.get(1)),
            "guardian2": _guardian(guardians.get(2)),
            "custom_sections": _custom_sections(app, guardians),
            "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "qr_payload": payload,
            "qr_code": qr_data_uri(payload),
        }


SAMPLE_FORM_NUMBER, SAMPLE_CODE = "20260001", "K7M2QX"

SAMPLE = {
    "campaign": "2026年义务教育入学（小学）",
    "district": "东城区",
    "form_number": SAMPLE_FORM_NUMBER,
    "verification_code": SAMPLE_CODE,
    "hukou_category": "非本市户籍",
    "nonlocal": True,
    "material_number": "DC2026000123",
    "remarks": "",
    "child": {
        "name": "王小明",
        "gender": "男",
        "nationality": "中国",
        "ethnicity": "汉族",
        "birth_date": "2020-03-15",
        "id_type": "居民身份证",
        "id_number": "130102202003150019",
        "hukou_place": "河北省",
        "hukou_address": "河北省石家庄市长安区建设北大街1号",
        "household_number": "130102001234",
    },
    "residence": {"district": "东城区", "street": "东四街道", "address": "东四十条1号院2号楼301"},
    "guardian1": {
        "name": "王大明", "relationship": "父亲", "nationality": "中国", "id_type": "居民身份证",
        "id_number": "130102198805040017", "education": "本科", "phone": "13912345678",
        "employer": "北京某某科技有限公司", "hukou_place": "河北省石家庄市",
    },
    "guardian2": {
        "name": "李丽", "relationship": "母亲", "nationality": "中国", "id_type": "居民身份证",
        "id_number": "130102199001020028", "education": "硕士", "phone": "13800001111",
        "employer": "北京某某医院", "hukou_place": "河北省石家庄市",
    },
    "custom_sections": [
        {"title": "其他信息", "fields": [
            {"label": "是否需要校车", "value": "需要", "columns": [], "rows": []},
            {"label": "家庭成员", "value": "姓名：王大明，关系：父亲", "columns": ["姓名", "关系"],
             "rows": [["王大明", "父亲"]]},
        ]},
    ],
    "generated_at": "2026-05-20 09:30",
    "qr_payload": "20260001 K7M2QX",
}
SAMPLE["qr_code"] = qr_data_uri(SAMPLE["qr_payload"])
