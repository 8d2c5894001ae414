"""Schools by their 10-digit code: a known code is updated, a new one created; re-importing the
same file changes nothing."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.choices import Ownership
from apps.lowcode.dataimport import ImportResult, RowError, text

COLUMNS = {
    "district": ("区", "区县", "district"),
    "code": ("学校代码", "学校标识码", "code"),
    "name": ("学校名称", "name"),
    "ownership": ("办学性质", "ownership"),
    "levels": ("学段", "levels"),
    "address": ("地址", "address"),
    "phone": ("电话", "联系电话", "phone"),
}
REQUIRED = ("district", "code", "name")
HELP = [
    ("district", gettext_lazy("District name or 6-digit code (required)")),
    ("code", gettext_lazy("10-digit school code (required); a known code updates that school")),
    ("name", gettext_lazy("School name (required), unique in its district")),
    ("ownership", gettext_lazy("公办 or 民办 (default 公办)")),
    ("levels", gettext_lazy("小学, 初中 or 小学、初中 (default 小学)")),
    ("address", gettext_lazy("Address")),
    ("phone", gettext_lazy("Enrollment phone")),
]
OWNERSHIP = {"": Ownership.PUBLIC, "公办": Ownership.PUBLIC, "public": Ownership.PUBLIC,
             "民办": Ownership.PRIVATE, "private": Ownership.PRIVATE}  # fmt: skip
FIELDS = ("district_id", "name", "ownership", "offers_primary", "offers_junior", "address", "phone")


def import_schools(rows: list[dict], *, user) -> ImportResult:
    from apps.bj_enrollment.models import District, School
    from apps.bj_enrollment.scope import scope_of

    scope = scope_of(user)
    districts = {}
    for district in District.objects.all():
        districts[district.name] = districts[district.code] = district
    existing = {s.code: s for s in School.objects.all()}
    result, planned, seen_codes, seen_names = ImportResult(), [], {}, {}
    for line, raw in enumerate(rows, start=2):
        values = {key: text(raw.get(key, "")) for key in COLUMNS}
        if not any(values.values()):
            continue
        try:
            school = _school(values, districts, existing, scope)
            for key, seen in ((school.code, seen_codes), ((school.district_id, school.name), seen_names)):
                if key in seen:
                    raise ValidationError(_("Same school as line %(line)d.") % {"line": seen[key]})
                seen[key] = line
            other = next((s for s in existing.values() if (s.district_id, s.name) == (school.district_id, school.name)
                          and s.code != school.code), None)
            if other is not None:
                raise ValidationError(_("%(name)s already exists with code %(code)s.") % {"name": school.name,
                                                                                         "code": other.code})
            school.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            result.errors += [RowError(line, message) for message in exc.messages]
            continue
        planned.append(school)
    if result.errors:
        return result
    with transaction.atomic():
        for school in planned:
            before = existing.get(school.code)
            if before is None:
                school.save()
                result.created += 1
            elif any(getattr(before, f) != getattr(school, f) for f in FIELDS):
                school.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _school(values, districts, existing, scope):
    from apps.bj_enrollment.models import School

    district = districts.get(values["district"])
    if district is None:
        raise ValidationError(_("Unknown district “%(value)s”.") % {"value": values["district"]})
    if not scope.everything and district.pk != scope.district_id:
        raise ValidationError(_("%(district)s is outside your scope.") % {"district": district.name})
    if not re.fullmatch(r"[0-9]{10}", values["code"]):
        raise ValidationError(_("The school code must have 10 digits."))
    before = existing.get(values["code"])
    if before is not None and not scope.everything and before.district_id != scope.district_id:
        raise ValidationError(_("School %(code)s belongs to another district.") % {"code": values["code"]})
    ownership = OWNERSHIP.get(values["ownership"].lower())
    if ownership is None:
        raise ValidationError(_("“%(value)s” is not 公办 or 民办.") % {"value": values["ownership"]})
    levels = values["levels"] or "小学"
    if not ("小学" in levels or "初中" in levels):
        raise ValidationError(_("“%(value)s” names no level (小学, 初中).") % {"value": levels})
    school = School(pk=before.pk if before else None, code=values["code"], active=before.active if before else True)
    school.district_id, school.name, school.ownership = district.pk, values["name"], ownership
    school.offers_primary, school.offers_junior = "小学" in levels, "初中" in levels
    school.address, school.phone = values["address"], values["phone"]
    if before is not None:
        school.street_id = before.street_id
    return school
