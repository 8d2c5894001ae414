"""Who may run a saved report, and the run itself: one home for the gate (the desk page, the export
and the worker all call `check_may_run`) and for recording that personal data was read."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from apps.lowcode.audit.record import Action, record
from apps.lowcode.reports.models import SavedReport
from apps.lowcode.reports.query import Group, Plan

PAGE_ROWS = 200  # rows shown on the page; the export has them all


def runnable_reports(user):
    """The reports shared with one of the user's roles (or their own); superusers see all."""
    if not (user.is_active and user.is_staff):
        return SavedReport.objects.none()
    reports = SavedReport.objects.select_related("document_type")
    if user.is_superuser:
        return reports
    return reports.filter(Q(roles__in=user.groups.all()) | Q(owner=user)).distinct()


def may_run(report: SavedReport, user) -> bool:
    model = report.model
    if model is None or not runnable_reports(user).filter(pk=report.pk).exists():
        return False
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def check_may_run(report: SavedReport, user) -> Plan:
    if not may_run(report, user):
        raise PermissionDenied
    return report.plan()


@dataclass
class Result:
    report: SavedReport
    headers: list[str]
    rows: list[list]
    total: int
    groups: list[Group]
    group_header: str = ""


def run(report: SavedReport, request) -> Result:
    """The page's view of a report for the request's user: the first PAGE_ROWS rows, the row count
    and the group counts, all within the user's scope; shown rows of personal data are recorded."""
    plan = check_may_run(report, request.user)
    queryset = plan.queryset(request.user)
    rows = list(plan.rows(queryset, limit=PAGE_ROWS))
    total = queryset.count()
    if rows and plan.source.personal:
        record(request, Action.VIEW, plan.model, count=len(rows), detail=f"saved report {report.pk}: {report.name}")
    header = plan.group.header if plan.group else ""
    return Result(report, plan.headers(), rows, total, plan.groups(queryset), header)
