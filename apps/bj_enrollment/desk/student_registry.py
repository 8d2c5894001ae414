"""The desk's "Import graduates from the student registry" page (R37): a campaign and a district of the
user's scope, then the same all-or-nothing import as the spreadsheet (imports/students.py). When the
registry does not answer, nothing is imported and the page says to try again later."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action
from unfold.widgets import UnfoldAdminSelectWidget

from apps.bj_enrollment.choices import Level
from apps.bj_enrollment.imports import students as students_import
from apps.bj_enrollment.scope import restrict, scope_of


class RegistryImportForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label=gettext_lazy("campaign"), widget=UnfoldAdminSelectWidget)
    district = forms.ModelChoiceField(queryset=None, label=gettext_lazy("district"), widget=UnfoldAdminSelectWidget)

    def __init__(self, *args, user, **kwargs):
        from apps.bj_enrollment.models import Campaign, District

        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(level=Level.JUNIOR).order_by("-year")
        scope = scope_of(user)
        districts = District.objects.order_by("sort_order", "code")
        self.fields["district"].queryset = districts if scope.everything else districts.filter(pk=scope.district_id)
        self.fields["campaign"].initial = students_import.active_campaign()
        if not scope.everything:
            self.fields["district"].initial = scope.district_id


class RegistryImportMixin:
    @action(description=gettext_lazy("Import graduates from the student registry"), url_path="import-registry",
            icon="cloud_download")
    def import_from_registry(self, request):
        if not request.user.has_perm("bj_enrollment.change_student"):
            raise PermissionDenied
        form = RegistryImportForm(request.POST or None, user=request.user)
        result = None
        if request.method == "POST" and form.is_valid():
            campaign, district = form.cleaned_data["campaign"], form.cleaned_data["district"]
            if not restrict(type(district).objects.filter(pk=district.pk), request.user).exists():
                raise PermissionDenied
            result = students_import.import_from_registry(campaign, district, user=request.user)
            counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                      "conflicts": len(result.conflicts)}
            if result.pending:
                messages.error(request, _("The student registry did not answer; nothing was imported. "
                                          "Try again later."))
            elif result.ok and not result.conflicts:
                messages.success(request, _("Imported: %(created)d created, %(updated)d updated, "
                                            "%(unchanged)d unchanged.") % counts)
                return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
            elif result.ok:
                messages.warning(request, _("Imported with conflicts: %(created)d created, %(updated)d updated, "
                                            "%(unchanged)d unchanged, %(conflicts)d left unchanged (listed below).")
                                 % counts)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import graduates from the student registry"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "desk/student_registry_import.html", context)
