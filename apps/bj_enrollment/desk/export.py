"""Spreadsheet export of what a desk user sees: the action receives the scoped queryset and hands it
to a worker (apps/lowcode/export_jobs.py); the user follows the file's progress and downloads it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.roles import may_export
from apps.lowcode import export_jobs
from apps.lowcode.customfields.export import custom_export_columns
from apps.lowcode.models import ExportFile

XLSX = export_jobs.CONTENT_TYPES[ExportFile.Format.XLSX]


def desk_columns(model) -> list[tuple[str, object]]:
    """The DocType's export columns as its desk page declares them, then its custom fields flagged for export."""
    modeladmin = admin.site._registry[model]
    columns = modeladmin.export_columns or [(str(f.verbose_name), f.name) for f in model._meta.fields]
    return [*columns, *custom_export_columns(model)]


def _start(modeladmin, request, queryset, file_format):
    if not may_export(request.user, modeladmin.model):  # the role's export right (doctype/role.py)
        raise PermissionDenied
    related = modeladmin.list_select_related
    if isinstance(related, list | tuple) and related:
        queryset = queryset.select_related(*related)
    export = export_jobs.start(
        request.user, queryset.order_by("pk"), title=str(modeladmin.model._meta.verbose_name_plural),
        columns="apps.bj_enrollment.desk.export.desk_columns", scope="apps.bj_enrollment.scope.restrict",
        file_format=file_format,
    )
    return redirect("desk-export", export.key)


@admin.action(description=_("Export selected to Excel"), permissions=["export"])
def export_xlsx(modeladmin, request, queryset):
    return _start(modeladmin, request, queryset, ExportFile.Format.XLSX)


@admin.action(description=_("Export selected to CSV"), permissions=["export"])
def export_csv(modeladmin, request, queryset):
    return _start(modeladmin, request, queryset, ExportFile.Format.CSV)
