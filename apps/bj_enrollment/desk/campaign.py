from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.imports import SpreadsheetImportMixin
from apps.bj_enrollment.imports import plans as plans_import
from apps.bj_enrollment.models import Campaign, CampaignWindow, District, SchoolPlan
from apps.bj_enrollment.rules.capacity import seats_taken, taking_a_seat
from apps.bj_enrollment.rules.windows import may_edit_window
from apps.bj_enrollment.scope import scope_of
from apps.lowcode.customfields.desk import CustomFieldsAdminMixin


class CampaignWindowInline(TabularInline):
    model = CampaignWindow
    extra = 0
    fields = ("stage", "district", "opens_at", "closes_at")
    autocomplete_fields = ("district",)
    ordering = ("district", "opens_at")


@admin.register(Campaign)
class CampaignAdmin(ModelAdmin):
    list_display = ("name", "year", "level", "age_cutoff", "cohort_start", "active")
    list_filter = ("level", "active", "year")
    search_fields = ("name",)
    inlines = [CampaignWindowInline]
    fieldsets = (
        (None, {"fields": ("name", "year", "level", "active")}),
        (_("Age rule (R2)"), {"fields": ("age_cutoff", "cohort_start")}),
        (
            _("Limits"),
            {
                "fields": (
                    "max_accounts_per_mobile",
                    "sms_resend_seconds",
                    "sms_code_ttl_seconds",
                    "residence_permit_min_months",
                    "zone_lookup_limit",
                    "school_check_reminder_days",
                )
            },
        ),
    )


@admin.register(CampaignWindow)
class CampaignWindowAdmin(ModelAdmin):
    """Every staff member reads the dates; a district administrator sets its own district's (R1)."""

    list_display = ("campaign", "stage", "district", "opens_at", "closes_at")
    list_filter = ("campaign", "stage", "district")
    list_select_related = ("campaign", "district")
    date_hierarchy = "opens_at"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_edit_window(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or may_edit_window(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_of(request.user)
        if db_field.name == "district" and not scope.everything:
            kwargs["queryset"] = District.objects.filter(pk=scope.district_id)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not may_edit_window(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(SchoolPlan)
class SchoolPlanAdmin(SpreadsheetImportMixin, CustomFieldsAdminMixin, ScopedAdmin):
    """Plans per school and campaign, with the seats taken so far (pre-admitted and confirmed), live."""

    importer, import_function = plans_import, "import_plans"

    list_display = ("school", "campaign", "seats", "taken", "left")
    list_filter = (("school__district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("school", "campaign")
    search_fields = ("school__name", "school__code")
    autocomplete_fields = ("school",)
    export_columns = [
        (_("school"), "school.name"),
        (_("campaign"), "campaign.name"),
        (_("seats"), "seats"),
        (_("seats taken"), lambda p: seats_taken(p.campaign_id, p.school_id)),
    ]

    def get_queryset(self, request):
        taken = Count(
            "school__applications",
            filter=Q(school__applications__state__in=taking_a_seat())
            & Q(school__applications__campaign_id=F("campaign_id")),
        )
        return super().get_queryset(request).annotate(taken_count=taken)

    @admin.display(description=_("seats taken"), ordering="taken_count")
    def taken(self, obj):
        return obj.taken_count

    @admin.display(description=_("seats left"))
    def left(self, obj):
        return obj.seats - obj.taken_count
