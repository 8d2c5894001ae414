"""Object permissions from scope: `user.has_perm("bj_enrollment.change_application", app)` is true
only when the user holds the model permission and the application is in their scope. Generic code
(the workflow engine, exports) asks this question without knowing what a district is."""

from django.contrib.auth.backends import BaseBackend, ModelBackend

from apps.bj_enrollment import access
from apps.bj_enrollment.scope import in_scope, may_change


class AccountBackend(ModelBackend):
    """Django's model backend (passwords, model permissions), its permissions read from the
    account's cached grants (apps/bj_enrollment/access.py) instead of two queries a request."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access.of(user_obj).user_permissions)

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access.of(user_obj).group_permissions)


ACCOUNT_BACKEND = f"{AccountBackend.__module__}.{AccountBackend.__qualname__}"  # for login(backend=…)


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
