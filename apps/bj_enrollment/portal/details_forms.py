"""R15-R18 forms: model forms over the application's own rows; formats only, requirements are the
service's (services/details.py), so a draft saves whatever was typed."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import HukouCategory
from apps.bj_enrollment.models import Application, Child, Guardian, Property, Street
from apps.bj_enrollment.portal.forms import MOBILE
from apps.bj_enrollment.rules.identity import normalise_id_number
from apps.lowcode.customfields.forms import CustomFieldsFormMixin, form_fields_for
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import merge_custom_values, persist_files, store_custom_values


class DraftForm(CustomFieldsFormMixin, forms.ModelForm):
    """Every field optional in a draft; the submission checks completeness. The administrators'
    custom fields of the row's DocType follow its own fields (`cf_…`), formats checked here too."""

    custom_draft = True
    with_custom_fields = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
        if self.with_custom_fields:
            self.fields.update(form_fields_for(self.instance, "portal", prefix=self.custom_prefix))
            self.init_custom_values()
        self._stored_row = None if self.instance._state.adding else self._row()

    def _get_validation_exclusions(self):
        """The model's validation leaves out the values of the form's row choices (district, street):
        their form field has already read the row from a queryset at least as strict as the model's,
        which would read it again (one query per such value at every save, issue #17)."""
        exclude = super()._get_validation_exclusions()
        exclude.update(name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField))
        return exclude

    def _row(self) -> dict:
        """What this form writes of its row: its model fields (and the custom values, if it has them)."""
        meta = self.instance._meta
        row = {name: meta.get_field(name).value_from_object(self.instance) for name in self._meta.fields}
        if self.with_custom_fields:
            row["custom"] = copy.deepcopy(getattr(self.instance, storage_attr(self.instance)) or {})
        return row

    def save(self, commit=True):
        merge_custom_values(self.instance, getattr(self, "custom_values", {}))
        return super().save(commit)

    def save_if_changed(self):
        """Write only the values this form edits that changed (with the row's auto-now columns) and
        the history record; nothing when nothing changed (issue #17). The other columns are not
        written back from this request's copy: a state the workflow moved meanwhile stays moved, and
        the workflow's guard has no state to check (one query less)."""
        instance = self.save(commit=False)
        if self._stored_row is None:
            instance.save()
            return instance
        row = self._row()
        changed = [name for name in row if row[name] != self._stored_row[name]]
        changed = [storage_attr(instance) if name == "custom" else name for name in changed]
        if changed:
            auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
            instance.save(update_fields=[*changed, *auto_now])
        return instance


class ChildDetailsForm(DraftForm):
    class Meta:
        model = Child
        fields = ("ethnicity", "hukou_address", "household_number")


class ResidenceForm(DraftForm):
    with_custom_fields = False  # the application's own custom fields are the "custom" form's

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
        phone = normalise_id_number(self.cleaned_data.get("phone", ""))
        if phone:
            MOBILE(phone)
        return phone

    def has_data(self) -> bool:
        return any(self.cleaned_data.get(f) for f in ("name", "phone", "id_number"))


class PropertyForm(DraftForm):
    no_family_property = forms.BooleanField(
        label=_("The family (parents and child) owns no property in Beijing"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance
        if stored.pk and stored.certificate_number and not stored.family_owned:
            # saved only with the family's confirmation (clean below): shown as given, so the page and
            # the API's values save back as they are instead of asking for it again at every save
            self.initial.setdefault("no_family_property", True)

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


class CustomDetailsForm(CustomFieldsFormMixin, forms.Form):
    """The administrators' extra fields for this application (low-code custom fields, "portal")."""

    custom_draft = True

    def __init__(self, data=None, files=None, *, application):
        self.instance = application
        super().__init__(data, files)
        self.fields.update(form_fields_for(application, "portal", prefix=self.custom_prefix))
        self.init_custom_values()


def build_forms(application, data=None, files=None) -> dict:
    """The details forms of an application, keyed by the prefix their fields carry ("g1-name")."""
    guardians = {g.position: g for g in application.guardians.all()}
    forms_ = {
        "child": ChildDetailsForm(data, files, instance=application.child, prefix="child"),
        "residence": ResidenceForm(data, files, instance=application, prefix="residence"),
        "g1": GuardianForm(data, files, instance=guardians.get(1), prefix="g1"),
        "g2": GuardianForm(data, files, instance=guardians.get(2), prefix="g2"),
        "property": PropertyForm(data, files, instance=application.properties.first(), prefix="property"),
        "custom": CustomDetailsForm(data, files, application=application),
    }
    if application.hukou_category != HukouCategory.NONLOCAL:  # R18 concerns non-local families only
        for key in ("g1", "g2"):
            for name in ("residence_permit_number", "residence_permit_since"):
                del forms_[key].fields[name]
    return forms_


def save_draft(application, forms_: dict) -> None:
    """Uploads are written first, outside the transaction; the caller saves only valid forms.

    Whether the details may change (R1/R17: registered or withdrawn to edit, window open) is decided
    here, on the application's row locked for the save: the workflow may have moved it on since the
    request read it, and a save writes only the values it changed, so nothing else would notice."""
    from apps.bj_enrollment.services import details

    for form in forms_.values():
        if form.is_valid() and getattr(form, "custom_values", None):
            form.custom_values = persist_files(form.custom_document(), form.custom_values)
    with transaction.atomic():
        application.state = Application.objects.select_for_update().values_list("state", flat=True).get(
            pk=application.pk)
        details.check_editable(application)
        if forms_["custom"].is_valid():
            store_custom_values(application, forms_["custom"].custom_values)
        forms_["child"].save_if_changed()
        forms_["residence"].save_if_changed()
        for position in (1, 2):
            form = forms_[f"g{position}"]
            if position == 2 and application.single_guardian:
                if form.instance.pk:  # a second guardian is stored (build_forms read them all)
                    application.guardians.filter(position=2).delete()
            elif form.has_data():
                form.instance.application, form.instance.position = application, position
                form.save_if_changed()
        if forms_["property"].has_data():
            forms_["property"].instance.application = application
            forms_["property"].save_if_changed()


def spread_errors(forms_: dict, exc: ValidationError) -> None:
    """Service errors are keyed "<form prefix>-<field>" (the application's custom fields "cf_…", as
    the custom form has no prefix); show each next to its field."""
    for key, errors in exc.error_dict.items():
        prefix, _sep, field = key.partition("-") if "-" in key else ("custom", "", key)
        form = forms_.get(prefix)
        if form is not None and field in form.fields:
            form.add_error(field, errors)
        else:
            forms_["residence"].add_error(None, errors)
