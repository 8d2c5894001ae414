"""R29 in the desk: a form (campaign, district or school within the user's scope, format) that hands
out the admitted list in the registry's layout, and the read-only list of past exports."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.desk.base import ScopedAdmin, ScopedRelatedFilter
from apps.bj_enrollment.desk.export import XLSX
from apps.bj_enrollment.models import Campaign, District, RegistryExport, School
from apps.bj_enrollment.reports import registry_export
from apps.bj_enrollment.scope import restrict, scope_of
from apps.lowcode.readonly import ReadOnlyAdminMixin


class RegistryExportForm(forms.Form):
    campaign = forms.ModelChoiceField(Campaign.objects.order_by("-year", "level"), label=gettext_lazy("Campaign"))
    district = forms.ModelChoiceField(District.objects.none(), required=False, label=gettext_lazy("District"))
    school = forms.ModelChoiceField(School.objects.none(), required=False, label=gettext_lazy("School"))
    file_format = forms.ChoiceField(choices=RegistryExport.Format.choices, label=gettext_lazy("Format"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        districts = District.objects.all() if scope.everything else District.objects.filter(pk=scope.district_id)
        self.fields["district"].queryset = districts
        self.fields["school"].queryset = restrict(School.objects.order_by("district", "name"), user)
        self.fields["campaign"].initial = self.fields["campaign"].queryset.first()

    def clean(self):
        data = super().clean()
        if data.get("district") and data.get("school") and data["school"].district_id != data["district"].pk:
            self.add_error("school", _("This school is in another district."))
        return data


def registry_export_view(request):
    if not request.user.has_perm("bj_enrollment.view_registryexport"):
        raise PermissionDenied
    form = RegistryExportForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content, record = registry_export.export(
            request.user, data["campaign"], district=data["district"], school=data["school"],
            file_format=data["file_format"],
        )
        kind = XLSX if record.file_format == "xlsx" else "text/csv; charset=utf-8"
        name = f"registry-{data['campaign'].year}-{timezone.localdate():%Y%m%d}-{record.pk}.{record.file_format}"
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    recent = RegistryExport.objects.select_related("exported_by", "district", "school")
    context = {
        **admin.site.each_context(request),
        "title": _("Student registry export"),
        "form": form,
        "layouts": [(level.label, version, [header for header, _value in columns])
                    for level, (version, columns) in registry_export.LAYOUTS.items()],
        "recent": restrict(recent, request.user)[:10],
    }
    return TemplateResponse(request, "desk/registry_export.html", context)


@admin.register(RegistryExport)
class RegistryExportAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("exported_at", "exported_by", "campaign", "district", "school", "file_format", "rows", "sha256")
    list_filter = ("file_format", ("district", ScopedRelatedFilter), ("campaign", ScopedRelatedFilter))
    list_select_related = ("exported_by", "campaign", "district", "school")
    actions = []
