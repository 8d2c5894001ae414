"""The record of who read whom, for city administrators: searchable, never edited or deleted."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from apps.lowcode.audit.models import PersonalDataAccess
from apps.lowcode.readonly import ReadOnlyAdminMixin


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ("at", "user", "action", "document_type", "object_id", "count", "detail", "ip")
    list_filter = ("action", "document_type", ("at", admin.DateFieldListFilter))
    search_fields = ("=user__username", "=object_id")
    list_select_related = ("user", "document_type")
    date_hierarchy = "at"
    show_full_result_count = False

