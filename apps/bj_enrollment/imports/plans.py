"""School plans (seats per school and campaign, R23/R36): one row per school; a known pair is updated."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.lowcode.dataimport import ImportResult, RowError, integer, text

COLUMNS = {
    "campaign": ("招生年度", "入学工作", "campaign"),
    "school": ("学校代码", "school"),
    "seats": ("计划数", "招生计划", "seats"),
}
REQUIRED = ("campaign", "school", "seats")
HELP = [
    ("campaign", gettext_lazy("Campaign year, e.g. 2026, or the campaign's full name (required)")),
    ("school", gettext_lazy("10-digit school code (required)")),
    ("seats", gettext_lazy("Seats in the plan, a whole number (required)")),
]


def import_plans(rows: list[dict], *, user) -> ImportResult:
    from apps.bj_enrollment.models import Campaign, School, SchoolPlan
    from apps.bj_enrollment.scope import restrict

    campaigns = {}
    for campaign in Campaign.objects.order_by("year", "-level"):  # a bare year means its primary campaign
        campaigns[str(campaign.year)] = campaigns[str(campaign)] = campaign
    schools = {s.code: s for s in restrict(School.objects.all(), user)}
    known = {(p.campaign_id, p.school_id): p for p in SchoolPlan.objects.all()}
    result, planned, seen = ImportResult(), [], {}
    for line, raw in enumerate(rows, start=2):
        values = {key: raw.get(key, "") for key in COLUMNS}
        if not any(text(v) for v in values.values()):
            continue
        try:
            campaign = campaigns.get(text(values["campaign"]))
            if campaign is None:
                raise ValidationError(_("Unknown campaign “%(value)s”.") % {"value": text(values["campaign"])})
            school = schools.get(text(values["school"]))
            if school is None:
                raise ValidationError(
                    _("No school %(code)s in your scope.") % {"code": text(values["school"])}
                )
            key = (campaign.pk, school.pk)
            if key in seen:
                raise ValidationError(_("Same school as line %(line)d.") % {"line": seen[key]})
            seen[key] = line
            planned.append((key, integer(values["seats"])))
        except ValidationError as exc:
            result.errors += [RowError(line, message) for message in exc.messages]
    if result.errors:
        return result
    with transaction.atomic():
        for (campaign_id, school_id), seats in planned:
            plan = known.get((campaign_id, school_id))
            if plan is None:
                SchoolPlan.objects.create(campaign_id=campaign_id, school_id=school_id, seats=seats)
                result.created += 1
            elif plan.seats != seats:
                SchoolPlan.objects.filter(pk=plan.pk).update(seats=seats)
                result.updated += 1
            else:
                result.unchanged += 1
    return result
