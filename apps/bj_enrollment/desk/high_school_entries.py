"""Desk page of the high-school entry figures (R42): the city imports them from its spreadsheet through
the desk's one import screen; the public reads them on /chances/."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.imports import SpreadsheetImportMixin
from apps.bj_enrollment.imports import high_school_entries as high_school_entries_import
from apps.bj_enrollment.models import HighSchoolEntry


@admin.register(HighSchoolEntry)
class HighSchoolEntryAdmin(SpreadsheetImportMixin, ScopedAdmin):
    importer = high_school_entries_import
    import_function = "import_high_school_entries"
    list_display = ("school", "year", "graduates", "quality_entrants", "share_display")
    list_select_related = ("school",)
    list_filter = ("year", ("school", ScopedRelatedFilter))
    search_fields = ("^school__name", "=school__code")
    autocomplete_fields = ("school",)
    export_columns = [
        (_("junior high school"), "school.name"),
        (_("school code"), "school.code"),
        (_("graduation year"), "year"),
        (_("graduates"), "graduates"),
        (_("entered quality high schools"), "quality_entrants"),
    ]

    @admin.display(description=_("share"))
    def share_display(self, obj):
        return f"{obj.share:.1%}"
