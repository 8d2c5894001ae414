"""Desk pages for zone look-ups: the zone rows (edit, import, read from descriptions) and the look-up log."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from apps.bj_enrollment.desk.base import LargeTableAdmin, ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.imports import SpreadsheetImportMixin
from apps.bj_enrollment.models import ServiceZone, ZoneArea, ZoneLookup
from apps.bj_enrollment.rules.identity import check_resident_id
from apps.bj_enrollment.scope import restrict
from apps.bj_enrollment.zones import importer as zones_import
from apps.bj_enrollment.zones.importer import COLUMNS, generate_from_descriptions
from apps.bj_enrollment.zones.limits import id_key


@admin.register(ZoneArea)
class ZoneAreaAdmin(SpreadsheetImportMixin, ScopedAdmin):
    list_display = ("zone", "district_name", "road", "compound", "number_range", "parity")
    list_filter = (("zone__district", ScopedRelatedFilter), "parity")
    list_select_related = ("zone__district",)
    search_fields = ("road", "compound", "zone__name")
    autocomplete_fields = ("zone",)
    fields = ("zone", ("road", "compound"), ("number_from", "number_to", "parity"))
    importer, import_function = zones_import, "import_zone_areas"
    import_permissions = (
        "bj_enrollment.add_zonearea",
        "bj_enrollment.delete_zonearea",
        "bj_enrollment.change_servicezone",
    )
    actions_list = ["import_file", "import_template", "read_descriptions"]
    export_columns = [
        (COLUMNS["district"][0], "zone.district.name"),
        (COLUMNS["zone"][0], "zone.name"),
        (COLUMNS["road"][0], "road"),
        (COLUMNS["compound"][0], "compound"),
        (COLUMNS["number_from"][0], "number_from"),
        (COLUMNS["number_to"][0], "number_to"),
        (COLUMNS["parity"][0], lambda a: {"odd": "单号", "even": "双号"}.get(a.parity, "全部")),
    ]

    @admin.display(description=_("district"), ordering="zone__district__sort_order")
    def district_name(self, obj):
        return obj.zone.district.name

    @admin.display(description=_("numbers"))
    def number_range(self, obj):
        return "" if obj.number_from is None else f"{obj.number_from}–{obj.number_to}"

    @action(description=_("Read rows from zone descriptions"), url_path="from-descriptions", icon="playlist_add")
    def read_descriptions(self, request):
        self._require_import_rights(request)
        pending = restrict(ServiceZone.objects.all(), request.user).filter(area_rows__isnull=True).distinct()
        if request.method == "POST":
            zones, rows = generate_from_descriptions(pending)
            messages.success(
                request, gettext("Read %(rows)d rows for %(zones)d zones.") % {"rows": rows, "zones": zones}
            )
            return redirect(reverse("admin:bj_enrollment_zonearea_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Read rows from zone descriptions"),
            "pending": pending,
        }
        return TemplateResponse(request, "zones/desk_read_descriptions.html", context)


@admin.register(ZoneLookup)
class ZoneLookupAdmin(LargeTableAdmin):
    """Read-only: rows come from the public look-up. Deleting an ID's rows gives its look-ups back."""

    list_display = ("address", "district", "campaign", "short_key", "slot", "times", "first_at", "last_at")
    list_filter = (("district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("district", "campaign")
    search_fields = ("address",)
    search_help_text = _("A child's ID number (found through its one-way code) or an address")
    actions = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ID number key"))
    def short_key(self, obj):
        return f"{obj.id_key[:10]}…"

    def get_search_results(self, request, queryset, search_term):
        try:
            compact = check_resident_id(search_term.strip())
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(id_key=id_key(compact)), False
