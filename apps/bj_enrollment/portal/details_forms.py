"""R15-R18 forms: model forms over the application's own rows; formats only, requirements are the
service's (services/details.py), so a draft saves whatever was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.models import Application, Child, Guardian, Property, Street
from apps.bj_enrollment.portal.forms import MOBILE


class DraftForm(forms.ModelForm):
    """Every field optional in a draft; the submission checks completeness."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"


class ChildDetailsForm(DraftForm):
    class Meta:
        model = Child
        fields = ("ethnicity", "hukou_address", "household_number")


class ResidenceForm(DraftForm):
    class Meta:
        model = Application
        fields = ("residence_district", "residence_street", "residence_address", "housing_type", "single_guardian")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        district = self.data.get(self.add_prefix("residence_district")) or self.instance.residence_district_id
        self.fields["residence_street"].queryset = Street.objects.filter(district_id=district or 0)


class GuardianForm(DraftForm):
    class Meta:
        model = Guardian
        fields = (
            "name",
            "relationship",
            "nationality",
            "hukou_place",
            "id_type",
            "id_number",
            "education",
            "phone",
            "work_type",
            "employer",
            "employer_district",
            "residence_permit_number",
            "residence_permit_since",
        )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone:
            MOBILE(phone)
        return phone

    def has_data(self) -> bool:
        return any(self.cleaned_data.get(f) for f in ("name", "phone", "id_number"))


class PropertyForm(DraftForm):
    no_family_property = forms.BooleanField(
        label=_("The family (parents and child) owns no property in Beijing"), required=False
    )

    class Meta:
        model = Property
        fields = (
            "certificate_number",
            "owners",
            "owner_relationship",
            "family_owned",
            "address",
            "district",
            "certificate_date",
            "property_type",
        )

    def clean(self):
        data = super().clean()
        if data.get("certificate_number") and not data.get("family_owned") and not data.get("no_family_property"):
            # R16: a family-owned property is preferred; say so before accepting another one
            self.add_error(
                "no_family_property",
                _(
                    "A property owned only by the parents and/or the child comes first: enter that one, or confirm "
                    "that the family owns none."
                ),
            )
        return data

    def has_data(self) -> bool:
        return bool(self.cleaned_data.get("certificate_number"))
