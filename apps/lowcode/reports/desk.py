"""Saved reports in the desk: the builder (add and change pages, for those with the permission; a
report is changed by its owner, or by whoever may manage all reports), the list of reports the user
may run, a report's page (group counts, bar chart, first rows) and its Excel export. Every URL is
under the desk's `admin_view`; every report URL asks `runs.check_may_run`."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from unfold.admin import ModelAdmin

from apps.lowcode.reports import export, runs
from apps.lowcode.reports.forms import SavedReportForm
from apps.lowcode.reports.models import Chart, SavedReport

MANAGE_ALL = "lowcode_reports.manage_all_savedreports"


@admin.register(SavedReport)
class SavedReportAdmin(ModelAdmin):
    form = SavedReportForm
    list_display = ["name", "document_type", "group_by", "owner", "updated_at", "run_link"]
    list_select_related = ["document_type", "owner"]
    search_fields = ["name"]
    readonly_fields = ["owner"]

    def get_queryset(self, request):
        reports = super().get_queryset(request)
        return reports if request.user.has_perm(MANAGE_ALL) else reports.filter(owner=request.user)

    def _owns(self, request, obj) -> bool:
        return obj is None or request.user.has_perm(MANAGE_ALL) or obj.owner_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("run"))
    def run_link(self, obj):
        url = reverse("desk-report", args=[obj.pk])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("Run"))


def runnable_view(request):
    context = {
        **admin.site.each_context(request),
        "title": _("Reports"),
        "reports": runs.runnable_reports(request.user),
        "may_build": request.user.has_perm("lowcode_reports.add_savedreport"),
    }
    return TemplateResponse(request, "lowcode_reports/runnable.html", context)


def report_view(request, pk: int):
    report = get_object_or_404(SavedReport.objects.select_related("document_type"), pk=pk)
    try:
        result = runs.run(report, request)  # refuses (403) anyone the report is not shared with
    except ValidationError as exc:  # a column or custom field removed since the report was saved
        context = {**admin.site.each_context(request), "title": report.name, "report": report, "broken": exc.messages}
        return TemplateResponse(request, "lowcode_reports/report.html", context)
    top = max((g.count for g in result.groups), default=0) or 1
    context = {
        **admin.site.each_context(request),
        "title": report.name,
        "report": report,
        "result": result,
        "groups": [{"group": g, "width": round(100 * g.count / top)} for g in result.groups],
        "chart": report.chart == Chart.BAR,
        "more": result.total > len(result.rows),
        "page_rows": runs.PAGE_ROWS,
    }
    return TemplateResponse(request, "lowcode_reports/report.html", context)


@require_POST
def export_view(request, pk: int):
    return export.export(get_object_or_404(SavedReport, pk=pk), request)


def urls(site) -> list:
    """The report pages, mounted under /desk/reports/ by config/urls.py."""
    return [
        path("", site.admin_view(runnable_view), name="desk-reports"),
        path("<int:pk>/", site.admin_view(report_view), name="desk-report"),
        path("<int:pk>/export/", site.admin_view(export_view), name="desk-report-export"),
    ]
