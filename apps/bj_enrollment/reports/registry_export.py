"""R29: the admitted list for the student e-registry in a fixed column layout (docs/registry_export.md);
for a junior-high campaign the admitted students, with the data as confirmed and corrected (R38).

The rows are always the user's scope intersected with the chosen district or school, so a district's
file can never hold another district's child. Every export is recorded (who, when, scope, format,
rows, SHA-256 of the bytes handed out); the file itself is not kept.
"""

from __future__ import annotations

import csv
import hashlib
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.bj_enrollment.choices import Gender, HukouCategory, IdType, Level
from apps.bj_enrollment.scope import restrict
from apps.lowcode.export_cells import safe_row
from apps.lowcode.workflow import states

LAYOUT_VERSION = "r29-1"
# Fixed Chinese values, whatever the desk's language: the registry reads them.
ID_TYPES = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HK_MACAO_PERMIT: "港澳居民居住证",
    IdType.TAIWAN_PERMIT: "台湾居民居住证",
    IdType.FOREIGN_PERMANENT: "外国人永久居留身份证",
    IdType.PASSPORT: "护照",
}

# (header, value from one .values() row). Order and headers are the documented layout: never reorder.
COLUMNS = [
    ("学校代码", lambda r: r["school__code"]),
    ("学校名称", lambda r: r["school__name"]),
    ("所在区", lambda r: r["district__name"]),
    ("报名编号", lambda r: r["form_number"]),
    ("儿童姓名", lambda r: r["child__name"]),
    ("性别", lambda r: "男" if r["child__gender"] == Gender.MALE else "女"),
    ("出生日期", lambda r: r["child__birth_date"].isoformat()),
    ("证件类型", lambda r: ID_TYPES.get(r["child__id_type"], r["child__id_type"])),
    ("证件号码", lambda r: r["child__id_number"]),
    ("户籍类别", lambda r: "本市" if r["hukou_category"] == HukouCategory.LOCAL else "非本市"),
    ("户籍所在区", lambda r: r["child__hukou_district__name"] or ""),
    ("现住址", lambda r: r["residence_address"]),
    ("联系手机", lambda r: r["mobile"]),
    ("就读证明材料编号", lambda r: r["material_number"]),
]
FIELDS = sorted({
    "school__code", "school__name", "district__name", "form_number", "child__name", "child__gender",
    "child__birth_date", "child__id_type", "child__id_number", "hukou_category", "child__hukou_district__name",
    "residence_address", "mobile", "material_number",
})  # fmt: skip


# Junior high (小升初): the admitted students as the registry should now hold them, i.e. the data as
# the family confirmed it and the graduating school corrected it (R38), with the route (R41).
JUNIOR_LAYOUT_VERSION = "r29-junior-1"
JUNIOR_COLUMNS = [
    ("录取学校代码", lambda r: r["school__code"] or ""),
    ("录取学校名称", lambda r: r["school__name"] or ""),
    ("所在区", lambda r: r["district__name"]),
    ("教育ID", lambda r: r["education_id"]),
    ("学生姓名", lambda r: r["name"]),
    ("性别", lambda r: {Gender.MALE: "男", Gender.FEMALE: "女"}.get(r["gender"], "")),
    ("出生日期", lambda r: r["birth_date"].isoformat() if r["birth_date"] else ""),
    ("证件类型", lambda r: ID_TYPES.get(r["id_type"], r["id_type"])),
    ("证件号码", lambda r: r["id_number"]),
    ("户籍省份", lambda r: r["hukou_province"]),
    ("户籍所在区", lambda r: r["hukou_district__name"] or ""),
    ("户籍地址", lambda r: r["hukou_address"]),
    ("毕业学校代码", lambda r: r["graduating_school__code"]),
    ("毕业学校名称", lambda r: r["graduating_school__name"]),
    ("毕业班级", lambda r: r["graduating_class"]),
    ("入学途径", lambda r: ROUTES.get(r["admission_route"], r["admission_route"])),
    ("联系手机", lambda r: r["mobile"]),
    ("信息确认时间", lambda r: r["confirmed_at"].strftime("%Y-%m-%d %H:%M") if r["confirmed_at"] else ""),
]
JUNIOR_FIELDS = sorted({
    "school__code", "school__name", "district__name", "education_id", "name", "gender", "birth_date", "id_type",
    "id_number", "hukou_province", "hukou_district__name", "hukou_address", "graduating_school__code",
    "graduating_school__name", "graduating_class", "admission_route", "mobile", "confirmed_at",
})  # fmt: skip
ROUTES = {
    "feeder": "对口直升", "registration": "登记入学", "lottery": "派位", "private": "民办",
    "home_district": "回户籍/居住地", "new_arrival": "新进京", "special_education": "特殊教育",
}  # fmt: skip


def is_junior(campaign) -> bool:
    return campaign.level == Level.JUNIOR


LAYOUTS = {Level.PRIMARY: (LAYOUT_VERSION, COLUMNS), Level.JUNIOR: (JUNIOR_LAYOUT_VERSION, JUNIOR_COLUMNS)}


def layout(campaign) -> tuple[str, list]:
    """(layout version, columns) of the campaign's level."""
    return LAYOUTS[Level.JUNIOR if is_junior(campaign) else Level.PRIMARY]


def admitted_students(user, campaign, *, district=None, school=None):
    """The admitted students the user may export: a district's by current district, a school's as the
    admitting junior high or the graduating primary school."""
    from django.db.models import Q

    from apps.bj_enrollment.models import Student

    admitted = states.states_with(Student, "outcome", states.ADMITTED)
    rows = restrict(Student.objects.all(), user).filter(campaign=campaign, state__in=admitted)
    if district is not None:
        rows = rows.filter(district=district)
    if school is not None:
        rows = rows.filter(Q(school=school) | Q(graduating_school=school))
    return rows.order_by("school__code", "education_id").values(*JUNIOR_FIELDS)


def admitted(user, campaign, *, district=None, school=None):
    """The confirmed applications the user may export, in school and form-number order (the admitted
    students for a junior-high campaign)."""
    from apps.bj_enrollment.models import Application

    if is_junior(campaign):
        return admitted_students(user, campaign, district=district, school=school)

    admitted = states.states_with(Application, "outcome", states.ADMITTED)
    rows = restrict(Application.objects.all(), user).filter(campaign=campaign, state__in=admitted)
    if district is not None:
        rows = rows.filter(district=district)
    if school is not None:
        rows = rows.filter(school=school)
    return rows.order_by("school__code", "form_number").values(*FIELDS)


def lines(rows, columns=COLUMNS):
    """Every cell through safe_row: a residence address or name typed as a formula stays text."""
    yield [header for header, _value in columns]
    for row in rows.iterator(chunk_size=5000):
        yield safe_row(value(row) for _header, value in columns)


def render(rows, file_format: str, columns=COLUMNS) -> tuple[bytes, int]:
    """(file bytes, data rows). CSV is UTF-8 with a BOM so that Excel opens it in Chinese."""
    count = -1
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for count, line in enumerate(lines(rows, columns)):  # noqa: B007 - the count is the result
            writer.writerow(line)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count
    from openpyxl import Workbook  # loaded by the exports that write one

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学籍导出")
    for count, line in enumerate(lines(rows, columns)):  # noqa: B007
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def export(user, campaign, *, district=None, school=None, file_format="xlsx"):
    """The file and its record; the record is written in the same transaction as the rows are read.
    Refused without the role's export right on applications."""
    from apps.bj_enrollment.models import Application, RegistryExport, Student
    from apps.bj_enrollment.roles import may_export
    from apps.lowcode.audit import record as audit

    model = Student if is_junior(campaign) else Application
    if not may_export(user, model):
        raise PermissionDenied
    layout_version, columns = layout(campaign)

    with transaction.atomic():
        content, count = render(admitted(user, campaign, district=district, school=school), file_format, columns)
        record = RegistryExport.objects.create(
            campaign=campaign,
            district=district or (school.district if school else None),
            school=school,
            file_format=file_format,
            layout_version=layout_version,
            rows=count,
            sha256=hashlib.sha256(content).hexdigest(),
            exported_by=user,
        )
        audit.record(user, audit.Action.EXPORT, model, count=count, detail=f"registry export {record.pk}")
    return content, record
