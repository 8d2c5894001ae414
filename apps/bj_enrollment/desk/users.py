"""Staff accounts with their role (group) and scope (district or school) on one page."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from apps.bj_enrollment.models import StaffScope

admin.site.unregister(User)
admin.site.unregister(Group)


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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff_scope__district", "staff_scope__school")

    @admin.display(description=StaffScope._meta.verbose_name)
    def scope(self, obj):
        scope = getattr(obj, "staff_scope", None)
        return str(scope) if scope else ""


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass
