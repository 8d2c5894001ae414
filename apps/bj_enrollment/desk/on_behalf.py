"""R2/R6 in the desk: a district reviewer registers a child the portal sends to the district, with
the parent's form fields, the case and a note; the account number and initial password are shown once."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.models import Campaign, District
from apps.bj_enrollment.portal.forms import RegistrationForm
from apps.bj_enrollment.scope import scope_of
from apps.bj_enrollment.services import on_behalf
from apps.bj_enrollment.services.registration import Registration

INPUT_CLASSES = "border border-base-200 bg-white px-3 py-2 rounded-default w-full max-w-2xl"
PARENT_ONLY = ("sms_code", "password", "password2", "notice_read", "privacy_accepted")


class OnBehalfForm(RegistrationForm):
    case = forms.ChoiceField(label=gettext_lazy("Case"), choices=on_behalf.Case.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=gettext_lazy("Why the district registers this child, e.g. the approval it rests on."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PARENT_ONLY:
            self.fields.pop(name, None)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect):  # the desk's look for the portal's widgets
                field.widget.attrs["class"] = INPUT_CLASSES
        scope = scope_of(user)
        if not scope.everything:
            self.fields["district"].queryset = District.objects.filter(pk=scope.district_id)

    def clean(self):
        return forms.Form.clean(self)  # foreign nationals are exactly who the district registers


def on_behalf_view(request):
    scope = scope_of(request.user)
    if not request.user.has_perm("bj_enrollment.register_on_behalf") or scope.school_id or not (
        scope.everything or scope.district_id
    ):
        raise PermissionDenied
    campaign = Campaign.current()
    form = OnBehalfForm(request.user, request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid() and campaign is not None:
        data = form.cleaned_data
        reg = Registration(
            campaign=campaign, district=data["district"], nationality=data["nationality"],
            hukou_province=data["hukou_province"], hukou_district=data.get("hukou_district"),
            residence_district=data.get("residence_district"), child_name=data["child_name"],
            gender=data["gender"], birth_date=data["birth_date"], id_type=data["id_type"],
            id_number=data["id_number"], guardian_name=data["guardian_name"], mobile=data["mobile"], password="",
        )
        try:
            application, password = on_behalf.register_on_behalf(request.user, reg, data["case"], data["note"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            done = {"application": application, "password": password}
            form = OnBehalfForm(request.user)  # an empty form for the next family
    context = {
        **admin.site.each_context(request),
        "title": _("Register on a family's behalf"),
        "form": form,
        "campaign": campaign,
        "done": done,
    }
    return TemplateResponse(request, "desk/on_behalf.html", context)  # the desk sends no-store already
