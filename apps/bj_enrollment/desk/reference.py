"""Desk pages for the city's reference data: districts, streets, schools, zones, categories."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.imports import SpreadsheetImportMixin
from apps.bj_enrollment.imports import schools as schools_import
from apps.bj_enrollment.models import Category, District, School, ServiceZone, Street
from apps.lowcode.customfields.desk import CustomFieldsAdminMixin


class StreetInline(TabularInline):
    model = Street
    extra = 0
    fields = ("name", "kind", "code")
    tab = True


@admin.register(District)
class DistrictAdmin(ModelAdmin):
    list_display = ("code", "name", "contact_phone", "school_count")
    search_fields = ("name", "=code")
    ordering = ("sort_order", "code")
    inlines = [StreetInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_schools=Count("schools"))

    @admin.display(description=_("schools"), ordering="_schools")
    def school_count(self, obj):
        return obj._schools


@admin.register(Street)
class StreetAdmin(ModelAdmin):
    list_display = ("name", "kind", "district", "code")
    list_filter = (("district", ScopedRelatedFilter), "kind")
    list_select_related = ("district",)
    search_fields = ("name",)
    autocomplete_fields = ("district",)


@admin.register(School)
class SchoolAdmin(SpreadsheetImportMixin, CustomFieldsAdminMixin, ScopedAdmin):
    importer, import_function = schools_import, "import_schools"
    list_display = ("name", "code", "district", "street", "ownership", "offers_primary", "offers_junior", "active")
    list_filter = (("district", ScopedRelatedFilter), "ownership", "offers_primary", "offers_junior", "active")
    list_select_related = ("district", "street")
    search_fields = ("name", "=code")
    autocomplete_fields = ("district", "street")
    export_columns = [
        (_("name"), "name"),
        (_("school code"), "code"),
        (_("district"), "district.name"),
        (_("ownership"), lambda s: s.get_ownership_display()),
        (_("address"), "address"),
        (_("phone"), "phone"),
    ]


@admin.register(ServiceZone)
class ServiceZoneAdmin(ScopedAdmin):
    list_display = ("name", "district", "school_names", "multi_school", "property_cutoff")
    list_filter = (("district", ScopedRelatedFilter), "multi_school")
    list_select_related = ("district",)
    search_fields = ("name", "areas")
    autocomplete_fields = ("district", "schools")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("schools")

    @admin.display(description=_("schools"))
    def school_names(self, obj):
        return "、".join(s.name for s in obj.schools.all())


@admin.register(Category)
class CategoryAdmin(ModelAdmin):
    list_display = ("name", "code", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
