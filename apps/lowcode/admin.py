"""The job outbox in the desk: read-only and for superusers, like the queue dashboard beside it."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from apps.lowcode.models import OutboxJob
from apps.lowcode.readonly import ReadOnlyAdminMixin


@admin.register(OutboxJob)
class OutboxJobAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["created_at", "func", "state", "attempts", "next_attempt_at", "finished_at"]
    list_filter = ["state", "queue"]
    search_fields = ["func", "key"]
    fields = [
        "key",
        "func",
        "args",
        "kwargs",
        "queue",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)
