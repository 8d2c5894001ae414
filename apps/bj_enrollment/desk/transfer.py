"""Desk pages for transfers (R39) and new arrivals (R40).

A graduating school files a transfer on the add page (services/transfers.file_transfer: scope, window,
one open transfer), prints it for the family's signature and follows it; the districts decide through
the workflow buttons, each only on its own turn (the buttons of the other side are not offered, and
the engine step refuses them anyway). New arrivals are registered by a district on their own page
(services/new_arrivals.register_new_arrival) and reviewed on the student's page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action, display

from apps.bj_enrollment.choices import Gender, IdType, Relationship
from apps.bj_enrollment.desk.base import LargeTableAdmin, ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.models import Campaign, District, NewArrival, School, Student, Transfer
from apps.bj_enrollment.scope import restrict
from apps.bj_enrollment.services import new_arrivals, transfers
from apps.lowcode.filter_widgets import DropdownFilter
from apps.lowcode.history import HistoryAdmin
from apps.lowcode.masking import mask_id_number
from apps.lowcode.workflow import states as workflow_states
from apps.lowcode.workflow.desk import StateColours, WorkflowAdminMixin


class TransferStateFilter(DropdownFilter):
    title = gettext_lazy("state")
    parameter_name = "state__exact"

    def lookups(self, request, model_admin):
        return workflow_states.choices(Transfer)

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class TransferFilingForm(forms.ModelForm):
    """The graduating school's filing; the service's own checks give the form's messages."""

    class Meta:
        model = Transfer
        fields = ("student", "to_district", "basis", "document_number", "address")

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk:
            return data
        try:
            transfers.check_filing(
                self.user, data["student"], to_district=data.get("to_district"),
                document_number=data.get("document_number", ""), address=data.get("address", ""),
            )
        except PermissionDenied:
            raise ValidationError(_("You may not file a transfer for this student.")) from None
        return data


@admin.register(Transfer)
class TransferAdmin(WorkflowAdminMixin, HistoryAdmin, ScopedAdmin):
    form = TransferFilingForm
    list_display = ("student", "education_id", "from_district", "to_district", "basis", "state_badge", "created_at")
    list_select_related = ("student", "from_district", "to_district")
    list_filter = (
        TransferStateFilter,
        "basis",
        ("from_district", ScopedRelatedFilter),
        ("to_district", ScopedRelatedFilter),
    )
    list_filter_submit = True
    search_fields = ("=student__education_id", "^student__name")
    search_help_text = gettext_lazy("Education ID or the beginning of the student's name")
    actions_detail = ["print_transfer"]
    readonly_fields = ("state_label", "from_district", "filed_by", "created_at", "updated_at")
    fixed_after_filing = ("student", "to_district", "basis", "document_number", "address")
    export_columns = [
        (gettext_lazy("education ID"), "student.education_id"),
        (gettext_lazy("name"), "student.name"),
        (gettext_lazy("ID number"), lambda t: mask_id_number(t.student.id_number)),
        (gettext_lazy("graduating school"), "student.graduating_school.name"),
        (gettext_lazy("transfer-out district"), "from_district.name"),
        (gettext_lazy("transfer-in district"), "to_district.name"),
        (gettext_lazy("basis"), lambda t: t.get_basis_display()),
        (gettext_lazy("state"), lambda t: t.get_state_display()),
        (gettext_lazy("filed at"), "created_at"),
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(TransferFilingForm.Meta.fields)
        return ["student", "state_label", ("from_district", "to_district"), ("basis", "document_number"), "address",
                ("filed_by", "created_at"), "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *self.fixed_after_filing) if obj else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "to_district":  # the transfer goes to another district: every district is offered
            kwargs["queryset"] = District.objects.all()
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "student":
            kwargs["queryset"] = restrict(Student.objects.select_related("graduating_school"), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:  # only city staff may edit a transfer's fields (the states' edit roles)
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        filed = transfers.file_transfer(
            request.user, data["student"], to_district=data["to_district"], basis=data["basis"],
            document_number=data["document_number"], address=data["address"],
        )
        obj.__dict__.update({k: v for k, v in filed.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def workflow_context(self, request, obj):
        """Only the side whose turn it is sees its decisions."""
        context = super().workflow_context(request, obj)
        if context is not None:
            context["actions"] = [a for a in context["actions"]
                                  if transfers.may_decide(request.user, obj, a["action"])]
        return context

    @action(description=gettext_lazy("Print for signature"), url_path="print", icon="print")
    def print_transfer(self, request, object_id):
        """The application as a PDF for the family's signature (rendered by the print worker)."""
        from apps.lowcode.audit import record as audit
        from apps.lowcode.printing.errors import PrintError
        from apps.lowcode.printing.stored import printed

        transfer = self.get_object(request, unquote(object_id))
        if transfer is None or not self.has_view_permission(request, transfer):
            raise Http404
        change_url = reverse("admin:bj_enrollment_transfer_change", args=[transfer.pk])
        try:
            pdf = printed(transfer)
        except PrintError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(change_url)
        if pdf is None:
            messages.info(request, _("The form is being rendered; try again in a moment."))
            return HttpResponseRedirect(change_url)
        audit.record(request, audit.Action.PRINT, Transfer, object_id=transfer.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="transfer-{transfer.pk}.pdf"'
        return response

    @admin.display(description=gettext_lazy("education ID"))
    def education_id(self, obj):
        return obj.student.education_id

    @admin.display(description=gettext_lazy("state"))
    def state_label(self, obj):
        return obj.get_state_display()

    @display(description=gettext_lazy("state"), ordering="state", label=StateColours(Transfer))
    def state_badge(self, obj):
        return obj.state, obj.get_state_display()


class NewArrivalForm(forms.ModelForm):
    """A student new to Beijing, with one guardian; the service's checks give the form's messages."""

    guardian_name = forms.CharField(label=gettext_lazy("guardian's name"), max_length=64)
    guardian_relationship = forms.ChoiceField(label=gettext_lazy("relationship"), choices=Relationship.choices)
    guardian_phone = forms.CharField(label=gettext_lazy("guardian's mobile"), max_length=20)

    class Meta:
        model = NewArrival
        fields = ("campaign", "education_id", "name", "id_type", "id_number", "birth_date", "gender",
                  "hukou_province", "hukou_district", "hukou_address", "graduating_school", "graduating_class",
                  "mobile", "arrival_document_number")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "education_id" not in self.fields:
            return  # the view-only page (changes go through the student's page): every field is read-only
        for name in ("arrival_document_number", "id_number", "birth_date", "gender", "mobile"):
            self.fields[name].required = True
        self.fields["id_type"].initial = IdType.RESIDENT_ID
        self.fields["gender"].choices = Gender.choices

    def clean(self):
        data = super().clean()
        campaign, school = data.get("campaign"), data.get("graduating_school")
        if campaign and school:
            try:
                new_arrivals.check_can_register(self.user, campaign, school)
            except PermissionDenied:
                self.add_error("graduating_school", _("You may register new arrivals only in your own district."))
        return data


@admin.register(NewArrival)
class NewArrivalAdmin(LargeTableAdmin):
    """The district's door for new arrivals; each one is reviewed on its student page."""

    form = NewArrivalForm
    list_display = ("education_id", "name", "graduating_school", "district", "arrival_document_number",
                    "state_badge")
    list_select_related = ("graduating_school", "district")
    list_filter = (("district", ScopedRelatedFilter),)
    search_fields = ("=education_id", "^name")
    fieldsets = (
        (None, {"fields": ("campaign", ("education_id", "name"), ("id_type", "id_number"), ("birth_date", "gender"))}),
        (gettext_lazy("Hukou"), {"fields": (("hukou_province", "hukou_district"), "hukou_address",
                                            "arrival_document_number")}),
        (gettext_lazy("School"), {"fields": (("graduating_school", "graduating_class"), "mobile")}),
        (gettext_lazy("Guardian"), {"fields": (("guardian_name", "guardian_relationship"), "guardian_phone")}),
    )
    export_columns = [
        (gettext_lazy("education ID"), "education_id"),
        (gettext_lazy("name"), "name"),
        (gettext_lazy("ID number"), lambda s: mask_id_number(s.id_number)),
        (gettext_lazy("graduating school"), "graduating_school.name"),
        (gettext_lazy("district"), "district.name"),
        (gettext_lazy("state"), lambda s: s.get_state_display()),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(source="new_arrival")

    def has_change_permission(self, request, obj=None):
        return False  # reviewed and changed on the student's page

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = Campaign.objects.filter(level="junior")
        elif db_field.name == "graduating_school":
            kwargs["queryset"] = restrict(School.objects.filter(offers_primary=True), request.user)
        elif db_field.name == "hukou_district":
            kwargs["queryset"] = District.objects.all()
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        guardian = {"name": data.pop("guardian_name"), "relationship": data.pop("guardian_relationship"),
                    "phone": data.pop("guardian_phone")}
        student = new_arrivals.register_new_arrival(
            request.user, campaign=data.pop("campaign"), graduating_school=data.pop("graduating_school"),
            arrival_document_number=data.pop("arrival_document_number"), guardian=guardian, **data,
        )
        obj.pk = obj.id = student.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing more: the service wrote the guardian."""

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the student's page, where the review takes place."""
        messages.success(request, _("%(student)s is registered and waits for the district's review.") % {
            "student": obj.name})
        return HttpResponseRedirect(reverse("admin:bj_enrollment_student_change", args=[obj.pk]))

    @display(description=gettext_lazy("state"), label=StateColours(Student))
    def state_badge(self, obj):
        return obj.state, workflow_states.label(obj)
