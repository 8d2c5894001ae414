"""The desk's "Admit" page on a confirmed student (R41): the admitting actions the user may take now
and the junior high, handed to services/admissions.admit (the route follows from the action; the
engine refuses what the user may not do, and then nothing changes)."""

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

from apps.bj_enrollment.rules.admission_routes import ROUTE_OF_ACTION
from apps.bj_enrollment.services.admissions import admit
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.definitions import action_label
from apps.lowcode.workflow.errors import WorkflowError


class AdmitForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("admission route"), widget=UnfoldAdminSelectWidget)
    school = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("junior high school"),
                                    widget=UnfoldAdminSelectWidget)
    reason = forms.CharField(required=False, label=gettext_lazy("reason"), widget=UnfoldAdminTextInputWidget)

    def __init__(self, *args, actions, **kwargs):
        from apps.bj_enrollment.models import School

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, action_label(a)) for a in actions]
        # any active junior high: a student may go back to the hukou or residence district (回户籍)
        self.fields["school"].queryset = School.objects.filter(offers_junior=True, active=True).order_by(
            "district__sort_order", "name")


class AdmissionMixin:
    actions_detail = ["admit_student"]

    @action(description=gettext_lazy("Admit"), url_path="admit", icon="school")
    def admit_student(self, request, object_id):
        student = get_object_or_404(self.get_queryset(request), pk=object_id)  # scoped: out of scope is 404
        actions = [t.action for t in engine.available_actions(request.user, student) if t.action in ROUTE_OF_ACTION]
        if not actions:
            raise PermissionDenied
        form = AdmitForm(request.POST or None, actions=actions)
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[student.pk])
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                admit(request.user, student, data["action"], data["school"], data["reason"])
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(student)s is admitted: %(route)s.")
                                 % {"student": student, "route": student.get_admission_route_display()})
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Admit %(student)s") % {"student": student},
            "form": form,
            "back_url": back,
        }
        return TemplateResponse(request, "desk/student_admit.html", context)
