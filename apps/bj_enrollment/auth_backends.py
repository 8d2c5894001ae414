"""Object permissions from scope: `user.has_perm("bj_enrollment.change_application", app)` is true
only when the user holds the model permission and the application is in their scope. Generic code
(the workflow engine, exports) asks this question without knowing what a district is."""

from django.contrib.auth.backends import BaseBackend

from apps.bj_enrollment.scope import in_scope, may_change


class ScopeBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        app_label = perm.split(".", 1)[0]
        if app_label != obj._meta.app_label or not user_obj.has_perm(perm):
            return False
        codename = perm.split(".", 1)[-1]
        if codename.startswith(("change_", "delete_")):
            return may_change(user_obj, obj)
        return in_scope(user_obj, obj)
