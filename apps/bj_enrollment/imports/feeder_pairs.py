"""Feeder pairs (对口直升) of the active junior-high campaign by the two schools' codes: a known pair is
updated (its places), a new one created; re-importing the same file changes nothing. A district
imports pairs of its own schools only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.lowcode.dataimport import ImportResult, RowError, integer, text

COLUMNS = {
    "primary_school": ("小学学校代码", "小学代码", "primary school code", "primary_school"),
    "junior_school": ("初中学校代码", "初中代码", "junior high school code", "junior_school"),
    "places": ("名额", "places"),
}
REQUIRED = ("primary_school", "junior_school")
HELP = [
    ("primary_school", gettext_lazy("10-digit code of the primary school (required)")),
    ("junior_school", gettext_lazy("10-digit code of the junior high school it feeds (required)")),
    ("places", gettext_lazy("Places for its graduates; empty: not limited")),
]
NOTE = gettext_lazy("The pairs belong to the active junior-high campaign.")


def import_feeder_pairs(rows: list[dict], *, user, campaign=None) -> ImportResult:
    from apps.bj_enrollment.imports.students import active_campaign
    from apps.bj_enrollment.models import FeederPair, School
    from apps.bj_enrollment.scope import scope_of

    campaign = campaign or active_campaign()
    if campaign is None:
        raise ValidationError(_("There is no active junior-high campaign to import graduates into."))
    scope = scope_of(user)
    values = [{key: text(raw.get(key, "")) for key in COLUMNS} for raw in rows]
    codes = {v[k] for v in values for k in ("primary_school", "junior_school")}
    schools = {s.code: s for s in School.objects.filter(code__in=codes)}
    existing = {(p.primary_school_id, p.junior_school_id): p for p in FeederPair.objects.filter(campaign=campaign)}
    result, planned, seen = ImportResult(), [], {}
    for line, row in enumerate(values, start=2):
        if not any(row.values()):
            continue
        try:
            primary, junior = schools.get(row["primary_school"]), schools.get(row["junior_school"])
            if primary is None or not primary.offers_primary:
                raise ValidationError(_("“%(value)s” is not the code of a primary school.")
                                      % {"value": row["primary_school"]})
            if junior is None or not junior.offers_junior:
                raise ValidationError(_("“%(value)s” is not the code of a junior high school.")
                                      % {"value": row["junior_school"]})
            for school in (primary, junior):
                if not scope.everything and school.district_id != scope.district_id:
                    raise ValidationError(_("%(school)s is outside your scope.") % {"school": school.name})
            key = (primary.pk, junior.pk)
            if key in seen:
                raise ValidationError(_("Same pair as line %(line)d.") % {"line": seen[key]})
            seen[key] = line
            places = integer(row["places"]) if row["places"] else None
        except ValidationError as exc:
            result.errors += [RowError(line, message) for message in exc.messages]
            continue
        planned.append((key, places))
    if result.errors:
        return result
    with transaction.atomic():
        for (primary_id, junior_id), places in planned:
            before = existing.get((primary_id, junior_id))
            if before is None:
                FeederPair.objects.create(campaign=campaign, primary_school_id=primary_id,
                                          junior_school_id=junior_id, places=places)
                result.created += 1
            elif before.places != places:
                before.places = places
                before.save(update_fields=["places"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result
