"""R27 in the desk: tables and bar charts of the application counts, each number a link to the list
filtered the same way, and an Excel download. Scoped like every desk page."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment.desk.export import XLSX
from apps.bj_enrollment.models import Application, Campaign
from apps.bj_enrollment.reports import statistics
from apps.bj_enrollment.roles import may_export
from apps.bj_enrollment.rules.identity import is_ascii_digits
from apps.lowcode.export_cells import safe_row


def _campaign(request) -> Campaign | None:
    campaigns = Campaign.objects.order_by("-year", "level")
    chosen = request.GET.get("campaign")
    return (campaigns.filter(pk=chosen).first() if is_ascii_digits(chosen) else None) or campaigns.first()


def _link(campaign, filters: dict, changelist: str = "") -> str:
    """The application list filtered like a figure; pass `changelist` (its address) when linking
    hundreds of figures, to resolve it once."""
    changelist = changelist or reverse("admin:bj_enrollment_application_changelist")
    return changelist + "?" + urlencode({"campaign__id__exact": campaign.pk, **filters})


def statistics_view(request):
    if not request.user.has_perm("bj_enrollment.view_application"):
        raise PermissionDenied
    campaign = _campaign(request)
    figures = statistics.compute(request.user, campaign) if campaign else None
    if figures and request.GET.get("format") == "xlsx":
        return _workbook(request.user, figures, campaign)

    changelist = reverse("admin:bj_enrollment_application_changelist")

    def table(rows):
        top = max((r.count for r in rows), default=0) or 1
        return [
            {"row": r, "url": _link(campaign, r.filters, changelist), "width": round(100 * r.count / top)} for r in rows
        ]

    context = {
        **admin.site.each_context(request),
        "title": _("Statistics"),
        "campaign": campaign,
        "campaigns": Campaign.objects.order_by("-year", "level"),
        "figures": figures,
        "sections": [
            (_("By district"), table(figures.by_district)),
            (_("By state"), table(figures.by_state)),
            (_("By hukou category"), table(figures.by_hukou)),
            (_("By school"), table(figures.by_school[:50])),
            (_("By day of registration"), table(figures.by_day)),
        ]
        if figures
        else [],
        "cross": [
            (
                row,
                _link(campaign, row.filters, changelist),
                [
                    (counts.get(state, 0), _link(campaign, {**row.filters, "state__exact": state}, changelist))
                    for state, _l in figures.states
                ],
            )
            for row, counts in figures.district_states
        ]
        if figures
        else [],
        "states": figures.states if figures else [],
        "xlsx_url": (
            "?" + urlencode({"campaign": campaign.pk, "format": "xlsx"})
            if campaign and may_export(request.user, Application) else ""
        ),
    }
    return TemplateResponse(request, "desk/statistics.html", context)


def _workbook(user, figures, campaign) -> HttpResponse:
    if not may_export(user, Application):  # the figures are of applications: the role's export right
        raise PermissionDenied
    from openpyxl import Workbook  # loaded by the pages that write one

    book = Workbook(write_only=True)
    for title, rows in (
        (_("By district"), figures.by_district),
        (_("By school"), figures.by_school),
        (_("By state"), figures.by_state),
        (_("By hukou category"), figures.by_hukou),
        (_("By day of registration"), figures.by_day),
    ):
        sheet = book.create_sheet(str(title)[:31])
        sheet.append([str(title), _("Applications")])
        for row in rows:
            sheet.append(safe_row([row.label, row.count]))
    sheet = book.create_sheet(str(_("District by state"))[:31])
    sheet.append([_("District"), *[str(label) for _s, label in figures.states]])
    for row, counts in figures.district_states:
        sheet.append(safe_row([row.label, *[counts.get(state, 0) for state, _l in figures.states]]))
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"statistics-{campaign.year}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
