"""Desk pages of private-school applications (R43): a private school sees its applicants, a district
its students' applications (scope_paths); nobody edits them here — the family applies, changes and
withdraws (services/private_applications.py), the school's lottery decides (lottery/private_lottery.py).
The city sets how many private schools a student may apply to."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.models import PrivateApplication, PrivateApplicationSetting
from apps.lowcode.readonly import ReadOnlyAdminMixin


@admin.register(PrivateApplication)
class PrivateApplicationAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("student_name", "education_id", "school", "state_badge", "created_at", "updated_at")
    list_select_related = ("student", "school")
    list_filter = ("state", ("school", ScopedRelatedFilter))
    search_fields = ("=student__education_id", "^student__name")
    readonly_fields = ("student", "school", "state", "created_at", "updated_at")
    export_columns = [
        (_("education ID"), "student.education_id"),
        (_("name"), "student.name"),
        (_("graduating school"), "student.graduating_school.name"),
        (_("private school"), "school.name"),
        (_("state"), "get_state_display"),
        (_("applied at"), "created_at"),
    ]

    @admin.display(description=_("name"), ordering="student__name")
    def student_name(self, obj):
        return obj.student.name

    @admin.display(description=_("education ID"), ordering="student__education_id")
    def education_id(self, obj):
        return obj.student.education_id

    @display(description=_("state"), ordering="state")
    def state_badge(self, obj):
        return obj.get_state_display()


@admin.register(PrivateApplicationSetting)
class PrivateApplicationSettingAdmin(ScopedAdmin):
    list_display = ("campaign", "max_choices")
