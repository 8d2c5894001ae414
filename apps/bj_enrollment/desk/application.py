"""Desk pages for applications and the people in them; identity numbers and phones masked in lists (R26)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import display

from apps.bj_enrollment.desk.base import LargeTableAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.category_claims import CategoryClaimInline
from apps.bj_enrollment.desk.documents import DocumentsDeskMixin
from apps.bj_enrollment.desk.scan import ScanMixin
from apps.bj_enrollment.models import Application, Child, Guardian, Property
from apps.lowcode.audit.desk import RecordsReadsAdmin
from apps.lowcode.customfields.desk import CustomFieldsAdminMixin
from apps.lowcode.export_columns import by_value, from_value
from apps.lowcode.filter_widgets import DropdownFilter, RangeDateTimeFilter
from apps.lowcode.history import HistoryAdmin
from apps.lowcode.masking import mask_id_number, mask_phone
from apps.lowcode.workflow import states as workflow_states
from apps.lowcode.workflow.desk import StateColours, WorkflowAdminMixin

STATE_COLOURS = StateColours(Application)


class StateFilter(DropdownFilter):
    """The states of the active workflow, an administrator's own included (the field has no choices)."""

    title = _("state")
    parameter_name = "state__exact"  # the links of the statistics page use the field lookup's name

    def lookups(self, request, model_admin):
        return workflow_states.choices(model_admin.model)

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class GuardianInline(StackedInline):
    model = Guardian
    extra = 0
    max_num = 2
    tab = True
    fields = (
        ("position", "name", "relationship"),
        ("id_type", "id_number", "phone"),
        ("nationality", "hukou_place", "education"),
        ("work_type", "employer", "employer_district"),
        ("residence_permit_number", "residence_permit_since"),
    )


class PropertyInline(TabularInline):
    model = Property
    extra = 0
    tab = True
    fields = (
        "certificate_number",
        "owners",
        "owner_relationship",
        "family_owned",
        "district",
        "certificate_date",
        "registry_status",
    )


@admin.register(Application)
class ApplicationAdmin(
    DocumentsDeskMixin,
    RecordsReadsAdmin,
    ScanMixin,
    WorkflowAdminMixin,
    CustomFieldsAdminMixin,
    HistoryAdmin,
    LargeTableAdmin,
):
    list_display = (
        "form_number",
        "child_name",
        "masked_id_number",
        "masked_mobile",
        "district",
        "school",
        "state_badge",
        "hukou_category",
        "registered_at",
    )
    list_display_links = ("form_number", "child_name")
    list_select_related = ("child", "district", "school")
    list_filter = (
        StateFilter,
        "hukou_category",
        ("district", ScopedRelatedFilter),
        ("school", ScopedRelatedFilter),
        ("campaign", ScopedRelatedFilter),
        ("registered_at", RangeDateTimeFilter),
    )
    list_filter_submit = True
    search_fields = ("=form_number", "=child__id_number", "^child__name", "=mobile")
    search_help_text = _("Form number, ID number, mobile number or the beginning of the child's name")
    autocomplete_fields = ("child", "school")
    inlines = [GuardianInline, PropertyInline, CategoryClaimInline]
    readonly_fields = (
        "form_number",
        "verification_code",
        "state",
        "state_label",
        "registered_at",
        "updated_at",
        "details_confirmed_at",
        "account",
        # written by the workflow's steps and actions only: the zone school, the walk-in or the
        # lottery sets the school (R23), approval the material number (R4), a refusal its reason
        "school",
        "material_number",
        "rejection_reason",
    )
    fixed_after_registration = ("campaign", "child", "district", "mobile", "hukou_category")  # R14
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("form_number", "verification_code"),
                    ("state_label", "campaign"),
                    ("child", "district"),
                    ("school", "hukou_category"),
                    ("mobile", "account"),
                )
            },
        ),
        (
            _("Residence"),
            {
                "fields": (
                    ("residence_district", "residence_street"), "housing_type",
                    "residence_address",
                    "single_guardian",
                )
            },
        ),
        (_("Review"), {"fields": ("material_number", "rejection_reason", "remarks")}),
        (_("Times"), {"fields": (("registered_at", "details_confirmed_at", "updated_at"),)}),
    )
    export_columns = [
        (_("form number"), "form_number"),
        (_("name"), "child.name"),
        (_("ID number"), from_value("child.id_number", mask_id_number)),
        (_("registered mobile"), from_value("mobile", mask_phone)),
        (_("district"), "district.name"),
        (_("school"), "school.name"),
        (_("state"), by_value("state", lambda a: a.get_state_display())),
        (_("hukou category"), by_value("hukou_category", lambda a: a.get_hukou_category_display())),
        (_("registered at"), "registered_at"),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *self.fixed_after_registration) if obj else fields

    def has_add_permission(self, request):
        """Applications are born only through registration's rules (R8-R14): the parent's portal or
        API, or a district's register-on-behalf page, never a bare desk form."""
        return False

    @admin.display(description=_("child"), ordering="child__name_pinyin")
    def child_name(self, obj):
        return obj.child.name

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.child.id_number)

    @admin.display(description=_("registered mobile"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.get_state_display()

    @display(description=_("state"), ordering="state", label=STATE_COLOURS)
    def state_badge(self, obj):
        return obj.state, obj.get_state_display()


@admin.register(Child)
class ChildAdmin(RecordsReadsAdmin, CustomFieldsAdminMixin, HistoryAdmin, LargeTableAdmin):
    list_display = ("name", "masked_id_number", "gender", "birth_date", "hukou_province", "hukou_district")
    list_select_related = ("hukou_district",)
    list_filter = ("gender", "id_type", ("hukou_district", ScopedRelatedFilter))
    search_fields = ("=id_number", "^name", "^name_pinyin")
    fieldsets = (
        (None, {"fields": (("name", "gender"), ("id_type", "id_number"), ("birth_date", "nationality", "ethnicity"))}),
        (_("Hukou"), {"fields": (("hukou_province", "hukou_district"), "hukou_address", "household_number")}),
    )
    export_columns = [
        (_("name"), "name"),
        (_("ID number"), from_value("id_number", mask_id_number)),
        (_("gender"), by_value("gender", lambda c: c.get_gender_display())),
        (_("birth date"), "birth_date"),
    ]

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


@admin.register(Guardian)
class GuardianAdmin(RecordsReadsAdmin, CustomFieldsAdminMixin, HistoryAdmin, LargeTableAdmin):
    list_display = ("name", "position", "relationship", "masked_phone", "masked_id_number", "application")
    list_select_related = ("application",)
    list_filter = ("position", "relationship")
    search_fields = ("=application__form_number", "=phone", "^name")
    autocomplete_fields = ("application",)
    export_columns = [
        (_("name"), "name"),
        (_("relationship"), by_value("relationship", lambda g: g.get_relationship_display())),
        (_("mobile"), from_value("phone", mask_phone)),
        (_("form number"), "application.form_number"),
    ]

    @admin.display(description=_("mobile"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


@admin.register(Property)
class PropertyAdmin(RecordsReadsAdmin, CustomFieldsAdminMixin, HistoryAdmin, LargeTableAdmin):
    list_display = (
        "certificate_number",
        "owners",
        "family_owned",
        "district",
        "certificate_date",
        "registry_status",
        "application",
    )
    list_select_related = ("district", "application")
    list_filter = ("family_owned", "registry_status", ("district", ScopedRelatedFilter))
    search_fields = ("=certificate_number", "=application__form_number")
    autocomplete_fields = ("application", "district")
    date_hierarchy = "certificate_date"
