"""A saved report to Excel: up to `REPORT_EXPORT_INLINE_ROWS` rows (site config
`report_export_inline_rows`) in the request, more in the worker through the shared export job
(apps/lowcode/export_jobs.py), which applies the requester's scope again and hands the file to the
requester only. Every cell goes through `safe_row` (formula injection); the export is recorded."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.lowcode import export_jobs
from apps.lowcode.audit.record import Action, record
from apps.lowcode.export_cells import safe_row
from apps.lowcode.export_rights import may_export
from apps.lowcode.reports.models import SavedReport
from apps.lowcode.reports.runs import check_may_run

XLSX = export_jobs.CONTENT_TYPES["xlsx"]


def _sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in a sheet's name and more than 31 characters."""
    return "".join(" " if c in "[]:*?/\\" else c for c in text)[:31].strip() or "Sheet"


def report_columns(model, report: int) -> list[tuple[str, object]]:
    """The worker's columns of a report (the `columns` hook of export_jobs.start)."""
    return SavedReport.objects.get(pk=report).plan().getters()


def export(report: SavedReport, request) -> HttpResponse:
    plan = check_may_run(report, request.user)
    if not may_export(request.user, plan.model):  # taking rows away is a right of its own
        raise PermissionDenied
    queryset = plan.queryset(request.user)
    total = queryset.count()
    if plan.columns and total > settings.REPORT_EXPORT_INLINE_ROWS:  # group counts alone are always small
        scope = plan.source.scope
        job = export_jobs.start(
            request.user,
            plan.with_links(plan.model._default_manager.filter(plan.condition)),
            title=report.name,
            columns=f"{__name__}.report_columns",
            params={"report": report.pk},
            scope=f"{scope.__module__}.{scope.__qualname__}",
        )
        return redirect(reverse("desk-export", args=[job.key]))
    from openpyxl import Workbook  # loaded by the exports that write one

    book = Workbook(write_only=True)
    written = 0
    if plan.columns:
        sheet = book.create_sheet(_sheet_title(report.name))
        sheet.append(safe_row(plan.headers()))
        for row in plan.rows(queryset):
            sheet.append(safe_row(row))
            written += 1
        record(request, Action.EXPORT, plan.model, count=written, detail=f"saved report {report.pk}: {report.name}")
    if plan.group:
        sheet = book.create_sheet(_sheet_title(f"{plan.group.header} {_('Count')}"))
        sheet.append(safe_row([plan.group.header, _("Count")]))
        for group in plan.groups(queryset):
            sheet.append(safe_row([group.label, group.count]))
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="report-{report.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
