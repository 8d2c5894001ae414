"""Desk pages for junior-high students (小升初, R37-R41) and the feeder pairs (对口直升); identity numbers
and phones masked in lists (R26). Scope: a district sees its students, a graduating school its
graduates and an admitting junior high its admitted students (Student.scope_paths)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import display

from apps.bj_enrollment.desk.base import LargeTableAdmin, ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.imports import MB, SpreadsheetImportMixin
from apps.bj_enrollment.desk.student_admission import AdmissionMixin
from apps.bj_enrollment.desk.student_correction import CorrectionMixin
from apps.bj_enrollment.desk.student_registry import RegistryImportMixin
from apps.bj_enrollment.imports import feeder_pairs as feeder_pairs_import
from apps.bj_enrollment.imports import students as students_import
from apps.bj_enrollment.models import FeederPair, Student, StudentGuardian
from apps.lowcode.audit.desk import RecordsReadsAdmin
from apps.lowcode.customfields.desk import CustomFieldsAdminMixin
from apps.lowcode.filter_widgets import DropdownFilter
from apps.lowcode.history import HistoryAdmin
from apps.lowcode.masking import mask_id_number, mask_phone
from apps.lowcode.workflow import states as workflow_states
from apps.lowcode.workflow.desk import StateColours, WorkflowAdminMixin

STATE_COLOURS = StateColours(Student)


class StudentStateFilter(DropdownFilter):
    title = _("state")
    parameter_name = "state__exact"

    def lookups(self, request, model_admin):
        return workflow_states.choices(model_admin.model)

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class StudentGuardianInline(TabularInline):
    model = StudentGuardian
    extra = 0
    tab = True
    fields = ("name", "relationship", "phone", "id_number")


def admission_decision(student) -> str:
    """Who set the admission route, when and with which action (R41)."""
    record = student.admission_record
    if record is None:
        return ""
    from apps.lowcode.workflow.definitions import action_label
    from apps.lowcode.workflow.engine import user_display

    when = record.created_at.strftime("%Y-%m-%d %H:%M")
    return f"{action_label(record.action)} · {user_display(record.user)} · {when}"


@admin.register(Student)
class StudentAdmin(
    AdmissionMixin,
    CorrectionMixin,
    RegistryImportMixin,
    SpreadsheetImportMixin,
    RecordsReadsAdmin,
    WorkflowAdminMixin,
    CustomFieldsAdminMixin,
    HistoryAdmin,
    LargeTableAdmin,
):
    importer = students_import
    import_function = "import_students"
    import_permissions = ("bj_enrollment.change_student",)
    import_max_bytes = 50 * MB  # a city's graduates (150,000 rows: 12 MB as .xlsx), imported by the worker
    actions_list = ["import_from_registry", "import_file", "import_template"]
    actions_detail = ["admit_student", "correct_student"]  # R41 admission, R38 the school's correction
    list_display = (
        "education_id",
        "name",
        "masked_id_number",
        "graduating_school",
        "graduating_class",
        "district",
        "state_badge",
        "admission_route",
        "school",
    )
    list_display_links = ("education_id", "name")
    list_select_related = ("graduating_school", "district", "school")
    list_filter = (
        StudentStateFilter,
        "source",
        "admission_route",
        ("district", ScopedRelatedFilter),
        ("graduating_school", ScopedRelatedFilter),
        ("campaign", ScopedRelatedFilter),
    )
    list_filter_submit = True
    search_fields = ("=education_id", "=id_number", "^name")
    search_help_text = _("Education ID, ID number or the beginning of the student's name")
    inlines = [StudentGuardianInline]
    readonly_fields = (
        "state_label",
        "source",
        "confirmed_at",
        "confirmation_method",
        "confirmation_number",
        "admission_route",
        "admission_decision",
        "school",
        "district",
        "created_at",
        "updated_at",
    )
    fixed_after_import = ("campaign", "education_id", "graduating_school")
    fieldsets = (
        (None, {"fields": (("education_id", "campaign"), ("name", "gender"), ("id_type", "id_number"), "birth_date")}),
        (_("School"), {"fields": (("graduating_school", "graduating_class"), ("district", "source"))}),
        (_("Hukou"), {"fields": (("hukou_province", "hukou_district"), "hukou_address")}),
        (_("Contact"), {"fields": ("mobile",)}),
        (
            _("Confirmation"),
            {"fields": (("state_label", "confirmed_at"), ("confirmation_method", "confirmation_number"),
                        "correction_request")},
        ),
        (_("Admission"), {"fields": (("admission_route", "school"), "admission_decision")}),
        (_("Times"), {"fields": (("created_at", "updated_at"),)}),
    )
    export_columns = [
        (_("education ID"), "education_id"),
        (_("name"), "name"),
        (_("ID number"), lambda s: mask_id_number(s.id_number)),
        (_("graduating school"), "graduating_school.name"),
        (_("graduating class"), "graduating_class"),
        (_("district"), "district.name"),
        (_("state"), lambda s: s.get_state_display()),
        (_("admission route"), lambda s: s.get_admission_route_display()),
        (_("admission decision"), admission_decision),
        (_("junior high school"), "school.name"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("admission_record__user")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *self.fixed_after_import) if obj else fields

    def has_add_permission(self, request):
        """Students come from the registry or the import (R37); new arrivals through their own page (R40)."""
        return False

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("mobile on file"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("admission decision"))
    def admission_decision(self, obj):
        return admission_decision(obj)

    @display(description=_("state"), ordering="state", label=STATE_COLOURS)
    def state_badge(self, obj):
        return obj.state, obj.get_state_display()


@admin.register(FeederPair)
class FeederPairAdmin(SpreadsheetImportMixin, ScopedAdmin):
    importer = feeder_pairs_import
    import_function = "import_feeder_pairs"
    list_display = ("primary_school", "junior_school", "places", "campaign")
    list_select_related = ("primary_school", "junior_school", "campaign")
    list_filter = (("campaign", ScopedRelatedFilter), ("primary_school", ScopedRelatedFilter))
    search_fields = ("^primary_school__name", "^junior_school__name", "=primary_school__code")
    autocomplete_fields = ("primary_school", "junior_school")
    export_columns = [
        (_("campaign"), "campaign.name"),
        (_("primary school"), "primary_school.name"),
        (_("primary school code"), "primary_school.code"),
        (_("junior high school"), "junior_school.name"),
        (_("junior high school code"), "junior_school.code"),
        (_("places"), "places"),
    ]
