"""Django form fields for custom fields, for any form (desk, portal). The fields only render and
carry raw input; validation happens once, in `clean_custom_values`, from the form's `clean()`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape

from apps.lowcode.customfields.models import CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import clean_custom_values, custom_fields_for, required_now, shown
from apps.lowcode.customfields.widgets import AttachmentWidget, TableWidget

PLAIN_WIDGETS = {
    FieldType.TEXT: forms.TextInput,
    FieldType.NUMBER: lambda: forms.NumberInput(attrs={"step": "any"}),
    FieldType.DATE: lambda: forms.DateInput(attrs={"type": "date"}),
    FieldType.SELECT: forms.Select,
    FieldType.CHECKBOX: forms.CheckboxInput,
    FieldType.PHONE: lambda: forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "11"}),
    FieldType.ID_NUMBER: lambda: forms.TextInput(attrs={"maxlength": "18"}),
    FieldType.ATTACHMENT: AttachmentWidget,
    FieldType.TABLE: TableWidget,
}


class RawValueField(forms.Field):
    """Shows label, help text and the required mark, but leaves the value alone for the one validator."""

    def clean(self, value):
        return value


def form_field(field: CustomField, widgets=None, document=None) -> forms.Field:
    """Label and options are escaped by Django; the help text is escaped here because admin and theme
    templates print help texts as trusted HTML (`|safe`), and an administrator typed this one.
    With a `document`, the required mark and `custom_hidden` follow its conditions as stored."""
    widget = (widgets or PLAIN_WIDGETS).get(field.field_type) or PLAIN_WIDGETS[field.field_type]
    widget = widget()
    if field.field_type == FieldType.SELECT:
        widget.choices = [("", "---------"), *((option, option) for option in field.option_list)]
    if field.field_type == FieldType.TABLE:
        widget.columns = field.column_fields()
    if field.field_type == FieldType.ATTACHMENT:
        from apps.lowcode.uploads import accept_attribute

        widget.attrs["accept"] = accept_attribute(field.file_kinds)
    required = required_now(field, document) if document is not None else field.required
    form_field = RawValueField(label=field.label, help_text=escape(field.help_text), required=required, widget=widget)
    form_field.custom_hidden = document is not None and not shown(field, document)
    form_field.custom_section = field.section
    return form_field


def form_fields_for(document, where: str = "portal", *, prefix: str = "", widgets=None) -> dict[str, forms.Field]:
    """{prefix + fieldname: form field} for the fields applying to `document` in `where` (the portal's
    details form adds these to its own fields). A field hidden by its condition is still there (the
    condition is checked again over what is posted), marked `custom_hidden` for the template."""
    return {
        prefix + field.fieldname: form_field(field, widgets, document)
        for field in custom_fields_for(document, where)
    }


class CustomFieldsFormMixin:
    """For a form whose custom fields were added with `form_fields_for(document, where, prefix=...)`:
    fills them from the stored values and validates them with `clean_custom_values` in `clean()`.
    The cleaned values are left in `self.custom_values` for the caller to store."""

    custom_where = "portal"
    custom_prefix = "cf_"
    custom_draft = False  # a draft checks formats only; the submission checks what is required

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
        if not data:  # no custom field on this form: nothing to check, nothing to store
            return cleaned_data
        try:
            self.custom_values = clean_custom_values(
                self.custom_document(), data, where=self.custom_where, draft=self.custom_draft
            )
        except ValidationError as exc:
            for fieldname, errors in exc.error_dict.items():
                target = self.custom_prefix + fieldname
                self.add_error(target if target in self.fields else None, errors)
        return cleaned_data
