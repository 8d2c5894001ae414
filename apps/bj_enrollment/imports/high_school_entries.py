"""High-school entry figures (R42) from the city's spreadsheet: per public junior high and graduation
year, its graduates and how many entered quality high schools. A known school and year is updated, a
new one created; re-importing the same file changes nothing. Only the city imports them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.lowcode.dataimport import ImportResult, RowError, integer, text

COLUMNS = {
    "school": ("学校代码", "初中学校代码", "school code", "school"),
    "year": ("毕业年度", "年度", "graduation year", "year"),
    "graduates": ("毕业生人数", "毕业生数", "graduates"),
    "quality_entrants": ("升入优质高中人数", "优质高中人数", "quality high school entrants", "quality_entrants"),
}
REQUIRED = ("school", "year", "graduates", "quality_entrants")
HELP = [
    ("school", gettext_lazy("10-digit code of the public junior high school (required)")),
    ("year", gettext_lazy("Year its students graduated, e.g. 2025 (required)")),
    ("graduates", gettext_lazy("Number of graduates that year (required)")),
    ("quality_entrants", gettext_lazy("How many of them entered quality high schools (required)")),
]
NOTE = gettext_lazy("Shown to the public on the high-school chances page.")


def import_high_school_entries(rows: list[dict], *, user) -> ImportResult:
    from apps.bj_enrollment.models import HighSchoolEntry, School
    from apps.bj_enrollment.scope import scope_of

    if not scope_of(user).everything:
        raise PermissionDenied  # the city's figures: a district or school imports none
    values = [{key: text(raw.get(key, "")) for key in COLUMNS} for raw in rows]
    schools = {s.code: s for s in School.objects.filter(code__in={v["school"] for v in values})}
    this_year = timezone.localdate().year
    result, planned, seen = ImportResult(), [], {}
    for line, row in enumerate(values, start=2):
        if not any(row.values()):
            continue
        try:
            school = schools.get(row["school"])
            if school is None or not school.offers_junior or school.ownership != "public":
                raise ValidationError(_("“%(value)s” is not the code of a public junior high school.")
                                      % {"value": row["school"]})
            year = integer(row["year"])
            if not 2000 <= year <= this_year:
                raise ValidationError(_("“%(value)s” is not a past graduation year.") % {"value": row["year"]})
            graduates, entrants = integer(row["graduates"]), integer(row["quality_entrants"])
            if entrants > graduates:
                raise ValidationError(_("More entrants than graduates."))
            key = (school.pk, year)
            if key in seen:
                raise ValidationError(_("Same school and year as line %(line)d.") % {"line": seen[key]})
            seen[key] = line
        except ValidationError as exc:
            result.errors += [RowError(line, message) for message in exc.messages]
            continue
        planned.append((key, graduates, entrants))
    if result.errors:
        return result
    existing = {(e.school_id, e.year): e
                for e in HighSchoolEntry.objects.filter(school_id__in={k[0] for k, *_rest in planned})}
    with transaction.atomic():
        for (school_id, year), graduates, entrants in planned:
            before = existing.get((school_id, year))
            if before is None:
                HighSchoolEntry.objects.create(school_id=school_id, year=year, graduates=graduates,
                                               quality_entrants=entrants)
                result.created += 1
            elif (before.graduates, before.quality_entrants) != (graduates, entrants):
                before.graduates, before.quality_entrants = graduates, entrants
                before.save(update_fields=["graduates", "quality_entrants"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result
