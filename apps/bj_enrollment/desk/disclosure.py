"""R28 in the desk: a district releases its schools' lists to the public pages, or withdraws them.
Releases are kept (a withdrawal only stamps the time), so the desk shows what was public when."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.models import DisclosureRelease
from apps.bj_enrollment.reports import disclosure


@admin.register(DisclosureRelease)
class DisclosureReleaseAdmin(ScopedAdmin):
    list_display = ("district", "campaign", "released_by", "released_at", "withdrawn_at", "public_page")
    list_filter = (("district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("district", "campaign", "released_by")
    fields = ("campaign", "district", "note")
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("campaign", "district", "note", "released_by", "released_at", "withdrawn_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.released_by = request.user
            if disclosure.live_release(obj.campaign, obj.district) is not None:
                messages.info(request, _("This district's lists are already public."))
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("public page"))
    def public_page(self, obj):
        url = reverse("disclosure:district", args=[obj.district.code])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.action(description=gettext_lazy("Withdraw from the public pages"), permissions=["change"])
    def withdraw(self, request, queryset):
        rows = list(queryset.filter(withdrawn_at__isnull=True))
        for row in rows:
            disclosure.withdraw(row)
        messages.success(request, _("%(count)d releases withdrawn.") % {"count": len(rows)})
