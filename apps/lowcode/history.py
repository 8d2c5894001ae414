"""Desk history pages that only read.

simple-history's version page is a full change form that saves on POST, with no regard for the
user's change permission, the workflow or the record's scope: a side door to any tracked row. Here
a version is shown read-only to whoever may view the record, and nothing is ever reverted; a
record changes through its change form (change permission, scope, workflow state) or the workflow.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_form_template = "simple_history/object_history_form.html"

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request._reading_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "_reading_history", False):
            own = [f.name for f in self.model._meta.fields if f.editable]
            return tuple(dict.fromkeys([*super().get_readonly_fields(request, obj), *own]))
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if getattr(request, "_reading_history", False) else super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if getattr(request, "_reading_history", False):  # belt and braces: a version is never saved
            raise PermissionDenied
        super().save_model(request, obj, form, change)

