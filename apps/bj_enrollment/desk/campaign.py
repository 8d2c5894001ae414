from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from apps.bj_enrollment.models import Campaign, CampaignWindow


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
                )
            },
        ),
    )


@admin.register(CampaignWindow)
class CampaignWindowAdmin(ModelAdmin):
    list_display = ("campaign", "stage", "district", "opens_at", "closes_at")
    list_filter = ("campaign", "stage", "district")
    list_select_related = ("campaign", "district")
    date_hierarchy = "opens_at"
    autocomplete_fields = ("district",)
