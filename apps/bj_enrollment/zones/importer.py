"""Zone rows from a spreadsheet (CSV or Excel, through the desk's one import screen) or from the zones'
description text: all rows or none.

A zone named in the file gets exactly the file's rows (its old rows go), so importing the same file
twice changes nothing. Zones not named in the file are left alone. The result counts zones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.zones import index as zone_index
from apps.bj_enrollment.zones.normalise import canonical, looks_like_road
from apps.lowcode import dataimport
from apps.lowcode.dataimport import ImportResult, RowError

# Column -> accepted headers (Chinese as district offices write them, or the English key).
COLUMNS = {
    "district": ("区", "区县", "district"),
    "zone": ("服务片区", "片区", "zone"),
    "schools": ("学校", "对口学校", "schools"),
    "multi_school": ("多校划片", "multi_school"),
    "property_cutoff": ("房产证日期界限", "房产登记截止日期", "property_cutoff"),
    "road": ("街道路名", "道路", "路名", "road"),
    "compound": ("小区", "小区名称", "compound"),
    "number_from": ("起始号", "起始门牌号", "number_from"),
    "number_to": ("终止号", "终止门牌号", "number_to"),
    "parity": ("单双号", "parity"),
}
REQUIRED = ("district", "zone")
ANY_OF = ("road", "compound")
HELP = [
    ("district", gettext_lazy("District, e.g. 东城区 (required)")),
    ("zone", gettext_lazy("Name of the service zone (required); a new name creates the zone")),
    ("schools", gettext_lazy("Schools of the zone, separated by 、 (required for a new zone)")),
    ("multi_school", gettext_lazy("是 for a multi-school zone, 否 otherwise")),
    ("property_cutoff", gettext_lazy("Property certificate cutoff, e.g. 2017-06-30 (R35)")),
    ("road", gettext_lazy("Street, road or hutong")),
    ("compound", gettext_lazy("Residential compound, community or courtyard")),
    ("number_from", gettext_lazy("First house number (building number for a compound)")),
    ("number_to", gettext_lazy("Last house number (building number for a compound)")),
    ("parity", gettext_lazy("全部, 单号 or 双号")),
]
NOTE = gettext_lazy(
    "A zone named in the file gets exactly the file's rows; other zones are not touched. "
    "Zone columns may be repeated on every row of the zone."
)
_PARITY = {"": "all", "全部": "all", "all": "all", "单": "odd", "单号": "odd", "odd": "odd", "双": "even",
           "双号": "even", "even": "even"}  # fmt: skip
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}
_LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")


_text = dataimport.text


def _number(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+", text):  # text() folded full-width digits; other scripts' are refused
        raise ValidationError(_("“%(value)s” is not a house or building number.") % {"value": text})
    return int(text)


_date = dataimport.date


def _flag(value) -> bool | None:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return None if text == "" else False
    raise ValidationError(_("“%(value)s” is not yes or no (是/否).") % {"value": text})


@dataclass
class _ZonePlan:
    district: object
    name: str
    first_row: int
    schools: list | None = None
    multi_school: bool | None = None
    property_cutoff: dt.date | None = None
    areas: list = field(default_factory=list)


def import_zone_areas(rows: list[dict[str, object]], *, user=None) -> ImportResult:
    """Check every row, then write every zone and row in one transaction, or nothing if any row is wrong.

    `user`, when given, may only import into the districts of their scope.
    """
    from apps.bj_enrollment.models import District, School, ServiceZone, ZoneArea
    from apps.bj_enrollment.scope import scope_of

    scope = scope_of(user) if user is not None else None
    districts = {}
    for district in District.objects.all():
        districts[canonical(district.name)] = district
        districts.setdefault(re.sub(r"(?:区|县)$", "", canonical(district.name)), district)
    schools: dict[tuple[int, str], object] = {}
    for school in School.objects.all():
        schools[(school.district_id, canonical(school.name))] = school
        schools[(school.district_id, school.code)] = school
    existing = {(z.district_id, z.name): z for z in ServiceZone.objects.all()}
    report, plans = ImportResult(), {}

    for line, raw in enumerate(rows, start=2):
        values = {key: raw.get(key, "") for key in COLUMNS}
        if not any(_text(v) for v in values.values()):
            continue
        try:
            plan = _plan_row(values, line, districts, schools, scope, plans)
            area = ZoneArea(
                road=_text(values["road"]),
                compound=_text(values["compound"]),
                number_from=_number(values["number_from"]),
                number_to=_number(values["number_to"]),
                parity=_PARITY.get(_text(values["parity"]).lower(), None) or _bad_parity(values["parity"]),
            )
            area.clean_fields(exclude=["zone"])
            area.clean()
        except ValidationError as exc:
            report.errors += [RowError(line, message) for message in exc.messages]
            continue
        plan.areas.append(area)

    for (district_id, name), plan in plans.items():
        if (district_id, name) not in existing and not plan.schools:
            message = _("The new zone “%(zone)s” needs its schools.") % {"zone": name}
            report.errors.append(RowError(plan.first_row, message))
    report.errors.sort(key=lambda e: e.row)
    if report.errors:
        return report

    with transaction.atomic():
        for key, plan in plans.items():
            zone = existing.get(key) or ServiceZone(district=plan.district, name=plan.name)
            before = _zone_state(zone) if zone.pk else None
            if plan.multi_school is not None:
                zone.multi_school = plan.multi_school
            if plan.property_cutoff is not None:
                zone.property_cutoff = plan.property_cutoff
            zone.areas = "\n".join(area_line(a) for a in plan.areas)
            for area in plan.areas:
                area.zone = zone
            if before is not None and before == _zone_state(zone, plan):
                report.unchanged += 1
                continue  # the same file again: no write, no new row ids, no index rebuild
            report.updated += zone.pk is not None
            report.created += zone.pk is None
            zone.full_clean(exclude=["schools"])
            zone.save()
            if plan.schools:
                zone.schools.set(plan.schools)
            zone.area_rows.all().delete()
            ZoneArea.objects.bulk_create(plan.areas)
        zone_index.changed()  # bulk_create sends no signals
        transaction.on_commit(zone_index.changed)
    return report


def _zone_state(zone, plan: _ZonePlan | None = None) -> tuple:
    """What an import may change on a saved zone: from the database, or as `plan` would leave it."""
    fields = ("road", "compound", "number_from", "number_to", "parity")
    if plan is None:
        rows = zone.area_rows.values_list(*fields)
        schools = set(zone.schools.values_list("pk", flat=True))
    else:
        rows = [tuple(getattr(a, f) for f in fields) for a in plan.areas]
        schools = {s.pk for s in plan.schools} if plan.schools else set(zone.schools.values_list("pk", flat=True))
    return zone.multi_school, zone.property_cutoff, zone.areas, schools, sorted(rows, key=str)


def _bad_parity(value):
    raise ValidationError(_("“%(value)s” is not 全部, 单号 or 双号.") % {"value": _text(value)})


def _plan_row(values, line, districts, schools, scope, plans) -> _ZonePlan:
    district_name, zone_name = _text(values["district"]), _text(values["zone"])
    if not district_name or not zone_name:
        raise ValidationError(_("Every row needs its district and zone."))
    district = districts.get(canonical(district_name))
    if district is None:
        raise ValidationError(_("There is no district “%(name)s”.") % {"name": district_name})
    if scope is not None and not scope.everything and scope.district_id != district.pk:
        raise ValidationError(_("%(name)s is outside your district.") % {"name": district.name})
    plan = plans.setdefault((district.pk, zone_name), _ZonePlan(district, zone_name, line))
    names = [n for n in _LIST_SEPARATORS.split(_text(values["schools"])) if n.strip()]
    if names:
        found = []
        for name in names:
            school = schools.get((district.pk, canonical(name))) or schools.get((district.pk, name.strip()))
            if school is None:
                raise ValidationError(
                    _("There is no school “%(school)s” in %(district)s.") % {"school": name, "district": district.name}
                )
            found.append(school)
        _agree(plan, "schools", found, line)
    for attr, parse in (("multi_school", _flag), ("property_cutoff", _date)):
        value = parse(values[attr])
        if value is not None:
            _agree(plan, attr, value, line)
    return plan


def _agree(plan: _ZonePlan, attr: str, value, line: int) -> None:
    """Zone-level columns may be repeated on every row of the zone, but must say the same thing."""
    current = getattr(plan, attr)
    if current is not None and current != value:
        raise ValidationError(
            _("This row gives zone “%(zone)s” a different %(column)s than line %(line)s.")
            % {"zone": plan.name, "column": COLUMNS[attr][0], "line": plan.first_row}
        )
    setattr(plan, attr, value)


# --- the description text (ServiceZone.areas) as a source of rows ----------------------------------------

_LINE_BUILDINGS = re.compile(r"^(?P<name>.+?)(?P<a>[0-9]+)-(?P<b>[0-9]+)号楼$")
_LINE_RANGE = re.compile(r"^(?P<name>.+?)(?P<a>[0-9]+)-(?P<b>[0-9]+)号\(?(?P<p>单号|双号|单|双|全部)?\)?$")
_LINE_PARITY = re.compile(r"^(?P<name>.+?)\(?(?P<p>单号|双号)\)?$")
_LINE_WHOLE = re.compile(r"^(?P<name>.+?)\((?:全部门牌|全部|全段|全街)\)$")


def area_line(area) -> str:
    """One row as a line of the zone's description, in the form `rows_from_text` reads back."""
    place = f"{area.road}{area.compound}"
    parity = {"odd": "(单号)", "even": "(双号)"}.get(area.parity, "")
    if area.number_from is None:
        return f"{place}{parity or '(全部门牌)'}"
    unit = "号楼" if area.compound else "号"
    return f"{place}{area.number_from}-{area.number_to}{unit}{parity}"


def rows_from_text(zone) -> list:
    """Unsaved rows read from a zone's description, one per line (东四十条1-99号(单号), 华清嘉园1-12号楼, …)."""
    from apps.bj_enrollment.models import ZoneArea

    rows = []
    for raw in zone.area_lines():
        line = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
        line = re.sub(r"[‐‑‒–—―~〜至]", "-", line)
        if m := _LINE_BUILDINGS.match(line):
            row = ZoneArea(compound=m["name"], number_from=int(m["a"]), number_to=int(m["b"]))
        elif m := _LINE_RANGE.match(line):
            row = ZoneArea(road=m["name"], number_from=int(m["a"]), number_to=int(m["b"]), parity=_PARITY[m["p"] or ""])
        elif (m := _LINE_PARITY.match(line)) and looks_like_road(m["name"]):
            row = ZoneArea(road=m["name"], parity=_PARITY[m["p"]])
        else:
            name = m["name"] if (m := _LINE_WHOLE.match(line)) else line
            row = ZoneArea(road=name) if looks_like_road(name) else ZoneArea(compound=name)
        row.zone = zone
        rows.append(row)
    return rows


def generate_from_descriptions(zones) -> tuple[int, int]:
    """Rows for the zones that have none yet, read from their descriptions: (zones done, rows made)."""
    from apps.bj_enrollment.models import ZoneArea

    done = made = 0
    with transaction.atomic():
        for zone in zones.filter(area_rows__isnull=True).distinct():
            rows = [r for r in rows_from_text(zone) if len(r.key) >= 2]
            ZoneArea.objects.bulk_create(rows)
            done, made = done + bool(rows), made + len(rows)
        zone_index.changed()
        transaction.on_commit(zone_index.changed)
    return done, made


__all__ = ["ANY_OF", "COLUMNS", "HELP", "NOTE", "REQUIRED", "generate_from_descriptions", "import_zone_areas"]
