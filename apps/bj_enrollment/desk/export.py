"""Spreadsheet export of what a desk user sees: the action receives the scoped queryset."""

from io import BytesIO

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from apps.lowcode.audit.record import Action, record
from apps.lowcode.customfields.export import custom_export_columns
from apps.lowcode.export_cells import safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(obj, getter):
    value = getter(obj) if callable(getter) else obj
    if not callable(getter):
        for part in getter.split("."):
            value = getattr(value, part, None) if value is not None else None
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)
    return value if isinstance(value, int | float) or hasattr(value, "isoformat") else str(value)


@admin.action(description=_("Export selected to Excel"), permissions=["view"])
def export_xlsx(modeladmin, request, queryset):
    columns = modeladmin.export_columns or [(str(f.verbose_name), f.name) for f in modeladmin.model._meta.fields]
    columns = [*columns, *custom_export_columns(modeladmin.model)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(modeladmin.model._meta.verbose_name_plural))
    sheet.append(safe_row([str(header) for header, _getter in columns]))
    related = modeladmin.list_select_related
    if isinstance(related, list | tuple) and related:
        queryset = queryset.select_related(*related)
    rows = 0
    for obj in queryset.iterator(chunk_size=2000):
        sheet.append(safe_row([_value(obj, getter) for _header, getter in columns]))
        rows += 1
    record(request, Action.EXPORT, modeladmin.model, count=rows, detail=request.get_full_path())
    buffer = BytesIO()
    book.save(buffer)
    name = f"{modeladmin.model._meta.model_name}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
