"""Desk pages for preferences (志愿, R41): the district's setting, and the demand per junior high
(first choices and all choices of the confirmed lists, counted live) as a table and bars. Schools and
districts see the schools in their scope only (School.scope_paths through scope.restrict)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import Level
from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.models import Campaign, PreferenceSetting, School
from apps.bj_enrollment.rules.identity import is_ascii_digits
from apps.bj_enrollment.scope import restrict
from apps.bj_enrollment.services import preferences
from apps.lowcode.history import HistoryAdmin


@admin.register(PreferenceSetting)
class PreferenceSettingAdmin(HistoryAdmin, ScopedAdmin):
    list_display = ("district", "campaign", "max_choices", "ownership", "within_zone")
    list_select_related = ("district", "campaign")
    list_filter = (("campaign", ScopedRelatedFilter),)
    export_columns = [
        (_("campaign"), "campaign.name"),
        (_("district"), "district.name"),
        (_("number of choices"), "max_choices"),
        (_("ownership"), "get_ownership_display"),
        (_("only the graduating school's zone (学区)"), "within_zone"),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(level=Level.JUNIOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _campaign(request) -> Campaign | None:
    campaigns = Campaign.objects.filter(level=Level.JUNIOR).order_by("-year")
    chosen = request.GET.get("campaign")
    return (campaigns.filter(pk=chosen).first() if is_ascii_digits(chosen) else None) or campaigns.first()


def demand_rows(user, campaign) -> list[dict]:
    """The schools in the user's scope with their demand, most first choices first."""
    schools = list(
        restrict(School.objects.filter(offers_junior=True, active=True), user).select_related("district")
        .order_by("district__name", "name")
    )
    rows = preferences.demand(schools, campaign)
    rows.sort(key=lambda r: (-r.first, -r.all, r.school.district.name, r.school.name))
    top = max((r.all for r in rows), default=0) or 1
    return [
        {"row": r, "first_width": round(100 * r.first / top), "all_width": round(100 * r.all / top)} for r in rows
    ]


def demand_view(request):
    if not request.user.has_perm("bj_enrollment.view_preferencelist"):
        raise PermissionDenied
    campaign = _campaign(request)
    rows = demand_rows(request.user, campaign) if campaign else []
    districts: dict[str, list[int]] = {}
    for item in rows:
        totals = districts.setdefault(item["row"].school.district.name, [0, 0])
        totals[0] += item["row"].first
        totals[1] += item["row"].all
    context = {
        **admin.site.each_context(request),
        "title": _("Preference demand"),
        "campaign": campaign,
        "campaigns": Campaign.objects.filter(level=Level.JUNIOR).order_by("-year"),
        "rows": rows,
        "districts": sorted(districts.items()),
    }
    return TemplateResponse(request, "desk/preference_demand.html", context)
