"""Django form fields for custom fields, for any form (desk, portal). The fields only render and
carry raw input; validation happens once, in `clean_custom_values`, from the form's `clean()`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape

from apps.lowcode.customfields.models import CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import clean_custom_values, custom_fields_for

PLAIN_WIDGETS = {
    FieldType.TEXT: forms.TextInput,
    FieldType.NUMBER: lambda: forms.NumberInput(attrs={"step": "any"}),
    FieldType.DATE: lambda: forms.DateInput(attrs={"type": "date"}),
    FieldType.SELECT: forms.Select,
    FieldType.CHECKBOX: forms.CheckboxInput,
    FieldType.PHONE: lambda: forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "11"}),
    FieldType.ID_NUMBER: lambda: forms.TextInput(attrs={"maxlength": "18"}),
}


class RawValueField(forms.Field):
    """Shows label, help text and the required mark, but leaves the value alone for the one validator."""

    def clean(self, value):
        return value


def form_field(field: CustomField, widgets=None) -> forms.Field:
    """Label and options are escaped by Django; the help text is escaped here because admin and theme
    templates print help texts as trusted HTML (`|safe`), and an administrator typed this one."""
    widget = (widgets or PLAIN_WIDGETS).get(field.field_type) or PLAIN_WIDGETS[field.field_type]
    widget = widget()
    if field.field_type == FieldType.SELECT:
        widget.choices = [("", "---------"), *((option, option) for option in field.option_list)]
    return RawValueField(label=field.label, help_text=escape(field.help_text), required=field.required, widget=widget)


def form_fields_for(document, where: str = "portal", *, prefix: str = "", widgets=None) -> dict[str, forms.Field]:
    """{prefix + fieldname: form field} for the fields applying to `document` in `where` (the portal's
    details form adds these to its own fields)."""
    return {prefix + field.fieldname: form_field(field, widgets) for field in custom_fields_for(document, where)}


class CustomFieldsFormMixin:
    """For a form whose custom fields were added with `form_fields_for(document, where, prefix=...)`:
    fills them from the stored values and validates them with `clean_custom_values` in `clean()`.
    The cleaned values are left in `self.custom_values` for the caller to store."""

    custom_where = "portal"
    custom_prefix = "cf_"

    def custom_document(self):
        return self.instance

    def init_custom_values(self):
        stored = getattr(self.custom_document(), storage_attr(self.custom_document())) or {}
        for name in self.fields:
            if name.startswith(self.custom_prefix):
                self.initial.setdefault(name, stored.get(name.removeprefix(self.custom_prefix)))

    def clean(self):
        cleaned_data = super().clean()
        data = {
            name.removeprefix(self.custom_prefix): cleaned_data.get(name)
            for name in self.fields
            if name.startswith(self.custom_prefix)
        }
        self.custom_values = {}
        try:
            self.custom_values = clean_custom_values(self.custom_document(), data, where=self.custom_where)
        except ValidationError as exc:
            for fieldname, errors in exc.error_dict.items():
                target = self.custom_prefix + fieldname
                self.add_error(target if target in self.fields else None, errors)
        return cleaned_data
