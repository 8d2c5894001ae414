"""The desk's "Correct" page on a student whose family reported a correction (R38): the family's
report beside the fields and the guardians (name, relationship, phone), the school's reason, handed
to services/corrections.correct (fields, guardians and Correct data in one transaction; the engine
refuses what the user may not do, and then nothing changes). Scoped like the change page: a student
outside the user's scope is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, StudentGuardian
from apps.bj_enrollment.services.corrections import FIELDS, GUARDIAN_FIELDS, correct
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.errors import WorkflowError


def _unfold_widgets(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
            continue
        if isinstance(field.widget, forms.Select):
            field.widget = UnfoldAdminSelectWidget(choices=field.widget.choices)
        elif isinstance(field.widget, forms.DateInput):
            field.widget = UnfoldAdminTextInputWidget(attrs={"type": "date"})
        elif not isinstance(field.widget, UnfoldAdminTextInputWidget):
            field.widget = UnfoldAdminTextInputWidget()


class GuardianCorrectionForm(forms.ModelForm):
    class Meta:
        model = StudentGuardian
        fields = GUARDIAN_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _unfold_widgets(self)


GuardianFormSet = forms.inlineformset_factory(
    Student, StudentGuardian, form=GuardianCorrectionForm, fields=GUARDIAN_FIELDS, extra=1, can_delete=True)


def guardian_rows(formset) -> list[dict]:
    """The formset's corrections as services/corrections.correct takes them (untouched new rows left out)."""
    rows = []
    for form in formset.forms:
        if form.instance.pk is None and not form.has_changed():
            continue
        rows.append({"id": form.instance.pk, "delete": bool(form.cleaned_data.get("DELETE")),
                     **{name: form.cleaned_data.get(name) or "" for name in GUARDIAN_FIELDS}})
    return rows


class CorrectionForm(forms.ModelForm):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=500, widget=UnfoldAdminTextInputWidget,
                             help_text=gettext_lazy("The family reads it in the SMS asking to confirm again."))

    class Meta:
        model = Student
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _unfold_widgets(self)


class CorrectionMixin:
    @action(description=gettext_lazy("Correct data"), url_path="correct", icon="edit_note")
    def correct_student(self, request, object_id):
        student = get_object_or_404(self.get_queryset(request), pk=object_id)  # scoped: out of scope is 404
        if A.CORRECT_DATA not in [t.action for t in engine.available_actions(request.user, student)]:
            raise PermissionDenied
        # validated on a copy: the student itself changes only through the service
        copy = Student.objects.get(pk=student.pk)
        form = CorrectionForm(request.POST or None, instance=copy)
        guardians = GuardianFormSet(request.POST or None, instance=copy, prefix="guardians")
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[student.pk])
        if request.method == "POST" and form.is_valid() and guardians.is_valid():
            changes = {name: form.cleaned_data[name] for name in FIELDS}
            try:
                correct(request.user, student, changes, form.cleaned_data["reason"], guardian_rows(guardians))
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(student)s is corrected and waits for the family's confirmation.")
                                 % {"student": student})
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Correct %(student)s") % {"student": student},
            "form": form,
            "guardians": guardians,
            "report": student.correction_request,
            "back_url": back,
        }
        return TemplateResponse(request, "desk/student_correct.html", context)
