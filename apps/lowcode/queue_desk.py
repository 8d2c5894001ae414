"""The job dashboard (django-rq) in the desk, for superusers only.

django-rq lets any staff member read every queue, job and argument, and requeue or delete jobs. Jobs
are the platform's plumbing, not casework: only the superuser operates them. Every URL the
dashboard registers, its JSON and metrics views included, goes through the one check below.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django_rq.admin import QueueAdmin
from django_rq.models import Dashboard


def superuser_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_active or not user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class SuperuserQueueAdmin(QueueAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_urls(self):
        patterns = super().get_urls()
        for pattern in patterns:
            pattern.callback = superuser_only(pattern.callback)
        return patterns


if admin.site.is_registered(Dashboard):
    admin.site.unregister(Dashboard)
admin.site.register(Dashboard, SuperuserQueueAdmin)
