"""The junior-high family pages' forms (R37/R38): input shape only; the rules live in
services/junior_family.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.portal.forms import CodeForm, NumberField
from apps.bj_enrollment.services.junior_family import CORRECTABLE, field_label


class StudentLoginForm(forms.Form):
    education_id = NumberField(
        label=_("Education ID"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True})
    )
    name = forms.CharField(label=_("Student's name"), max_length=64)


class ConfirmForm(CodeForm):
    checked = forms.BooleanField(
        label=_("I have checked the data above; it is correct."),
        error_messages={"required": _("Tick the box to confirm that you have checked the data.")},
    )


class CorrectionForm(CodeForm):
    """One box per item the family may say is wrong (what it should be); at least one is filled in."""

    note = forms.CharField(label=_("Anything else the school should know"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            f"fix_{name}": forms.CharField(label=field_label(name), max_length=200, required=False,
                                           help_text=_("What it should be"))
            for name in CORRECTABLE
        }
        sms_code = self.fields.pop("sms_code")
        self.fields = {**fields, "note": self.fields.pop("note"), "sms_code": sms_code}

    def corrections(self) -> dict:
        return {name: self.cleaned_data.get(f"fix_{name}", "") for name in CORRECTABLE}
