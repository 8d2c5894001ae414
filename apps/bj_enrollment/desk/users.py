"""Staff accounts with their role (group) and scope (district or school) on one page."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.admin import ModelAdmin, StackedInline
from unfold.decorators import action
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from apps.bj_enrollment.models import StaffScope
from apps.bj_enrollment.roles import grantable_roles, may_manage
from apps.bj_enrollment.services import staff_access
from apps.lowcode.readonly import ReadOnlyAdminMixin

admin.site.unregister(User)
admin.site.unregister(Group)
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)  # its page shows secrets; devices are reset from the user's page


class StaffScopeInline(StackedInline):
    model = StaffScope
    can_delete = True
    max_num = 1
    autocomplete_fields = ("district", "school")


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [StaffScopeInline]
    list_display = ("username", "last_name", "first_name", "is_staff", "scope", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    actions_detail = ["reset_second_factor", "unlock_login"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff_scope__district", "staff_scope__school")

    # Privileges (R25): the gate is roles.may_manage / grantable_roles; here the desk only applies it.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or may_manage(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=grantable_roles(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        """A role the editor may not grant, held before, stays; nothing above it can be added."""
        user = form.instance
        kept = []
        if change and not request.user.is_superuser:
            kept = list(user.groups.exclude(name__in=grantable_roles(request.user)).values_list("pk", flat=True))
        super().save_related(request, form, formsets, change)
        if kept:
            user.groups.add(*kept)

    # Access recovery by a higher role (services/staff_access.py decides who may): GET asks, POST acts.
    def _access_action(self, request, object_id, act, question, confirm_label, done):
        user = get_object_or_404(User, pk=object_id)
        if not self.has_change_permission(request, user):  # user administration, and may_manage
            raise PermissionDenied
        back_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": confirm_label,
                "question": question % {"user": user.get_username()},
                "confirm_label": confirm_label,
                "back_url": back_url,
            }
            return TemplateResponse(request, "desk/user_access_confirm.html", context)
        act(request.user, user)
        self.message_user(request, done % {"user": user.get_username()})
        return redirect(back_url)

    @action(description=gettext_lazy("Reset two-step verification"), url_path="reset-second-factor")
    def reset_second_factor(self, request, object_id):
        return self._access_action(
            request,
            object_id,
            staff_access.reset_second_factor,
            _("Remove %(user)s's authenticator? They set up a new one at their next log-in."),
            _("Reset two-step verification"),
            _("Two-step verification of %(user)s was reset."),
        )

    @action(description=gettext_lazy("Unlock log-in"), url_path="unlock-login")
    def unlock_login(self, request, object_id):
        return self._access_action(
            request,
            object_id,
            staff_access.unlock_login,
            _("Lift the log-in lock of %(user)s after failed attempts?"),
            _("Unlock log-in"),
            _("The log-in of %(user)s was unlocked."),
        )

    @admin.display(description=StaffScope._meta.verbose_name)
    def scope(self, obj):
        scope = getattr(obj, "staff_scope", None)
        return str(scope) if scope else ""


@admin.register(Group)
class GroupAdmin(ReadOnlyAdminMixin, BaseGroupAdmin, ModelAdmin):
    """Read-only: a group's permissions are written from its role (desk/roles.py), never here."""
