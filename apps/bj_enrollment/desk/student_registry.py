"""The desk's "Import graduates from the student registry" page (R37): a campaign and a district of the
user's scope, then the same all-or-nothing import as the spreadsheet (imports/students.py), run by the
worker (imports/graduate_import_jobs.py: a district's schools are too many to ask within a request).
The graduates' spreadsheet goes to the worker too (imports/graduate_file_jobs.py: a city's file is too
large for a request), through the desk's one import screen (desk/imports.py, `import_in_worker` here).
Either request answers with the import's progress page, which refreshes itself like an export's and
shows the result when done; it is found only within the user's scope. When the registry does not
answer, nothing is imported and the page says the import is retried."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action
from unfold.widgets import UnfoldAdminSelectWidget

from apps.bj_enrollment.choices import Level
from apps.bj_enrollment.imports import graduate_file_jobs, graduate_import_jobs
from apps.bj_enrollment.imports import students as students_import
from apps.bj_enrollment.scope import restrict, scope_of
from apps.lowcode.dataimport import RowError


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
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_registry_import"
        own = [path("import-registry/<int:import_id>/", self.admin_site.admin_view(self.registry_import_progress),
                    name=name)]
        return own + super().get_urls()

    @action(description=gettext_lazy("Import graduates from the student registry"), url_path="import-registry",
            icon="cloud_download")
    def import_from_registry(self, request):
        if not request.user.has_perm("bj_enrollment.change_student"):
            raise PermissionDenied
        form = RegistryImportForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            campaign, district = form.cleaned_data["campaign"], form.cleaned_data["district"]
            if not restrict(type(district).objects.filter(pk=district.pk), request.user).exists():
                raise PermissionDenied
            started = graduate_import_jobs.start(request.user, campaign, district)
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_registry_import",
                                    args=[started.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import graduates from the student registry"),
            "form": form,
        }
        return TemplateResponse(request, "desk/student_registry_import.html", context)

    def import_in_worker(self, request, upload):
        """The spreadsheet import's upload (desk/imports.py) stored and queued; the progress page."""
        campaign = students_import.active_campaign()
        if campaign is None:
            raise ValidationError(_("There is no active junior-high campaign to import graduates into."))
        started = graduate_file_jobs.start(request.user, upload, campaign)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_registry_import",
                                args=[started.pk]))

    def registry_import_progress(self, request, import_id: int):
        """The import's progress, then its result; 404 outside the user's scope."""
        if not request.user.has_perm("bj_enrollment.view_student"):
            raise PermissionDenied
        row = graduate_import_jobs.visible(request.user, import_id)
        if row is None:
            raise Http404
        result = students_import.StudentImportResult(
            errors=[RowError(line, message) for line, message in row.errors],
            conflicts=[RowError(line, message) for line, message in row.conflicts],
            created=row.created, updated=row.updated, unchanged=row.unchanged, errors_left_off=row.errors_left_off,
        )
        from_file = row.source == row.Source.FILE
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import graduates from a spreadsheet") if from_file
            else _("Import graduates from the student registry"),
            "graduate_import": row,
            "result": result,
            "changelist": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"),
            "again": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_"
                             + ("import_file" if from_file else "import_from_registry")),
        }
        return TemplateResponse(request, "desk/graduate_import_progress.html", context)
