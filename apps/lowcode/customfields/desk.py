"""Mixin for a DocType's ModelAdmin: custom fields on the change page (fieldset "Custom fields"),
as list filters, and stored into the JSON column, all without code per field."""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from unfold import widgets as unfold_widgets

from apps.lowcode.customfields.filters import custom_list_filters
from apps.lowcode.customfields.forms import CustomFieldsFormMixin, form_fields_for
from apps.lowcode.customfields.models import FieldType
from apps.lowcode.customfields.values import custom_values_for, merge_custom_values

PREFIX = "cf_"
DESK_WIDGETS = {
    FieldType.TEXT: unfold_widgets.UnfoldAdminTextInputWidget,
    FieldType.NUMBER: lambda: unfold_widgets.UnfoldAdminDecimalFieldWidget(attrs={"step": "any"}),
    FieldType.DATE: unfold_widgets.UnfoldAdminSingleDateWidget,
    FieldType.SELECT: unfold_widgets.UnfoldAdminSelectWidget,
    FieldType.CHECKBOX: unfold_widgets.UnfoldBooleanSwitchWidget,
    FieldType.PHONE: lambda: unfold_widgets.UnfoldAdminTextInputWidget(attrs={"inputmode": "numeric"}),
    FieldType.ID_NUMBER: unfold_widgets.UnfoldAdminTextInputWidget,
}


class CustomFieldsAdminMixin:
    """Put before the ModelAdmin base; the model must declare `custom_fields_attr`."""

    custom_fields_title = _("Custom fields")

    def _custom_form_fields(self, obj):
        if obj is None:
            obj = self.model()
        return form_fields_for(obj, "desk", prefix=PREFIX, widgets=DESK_WIDGETS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            if custom_values_for(obj, "desk"):
                fieldsets.append((self.custom_fields_title, {"fields": ["custom_values_summary"]}))
            return fieldsets
        names = list(self._custom_form_fields(obj))
        if names:
            fieldsets.append((self.custom_fields_title, {"fields": names}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "custom_values_summary") if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        attrs = {**self._custom_form_fields(obj), "custom_where": "desk", "custom_prefix": PREFIX}
        kwargs["form"] = type(base)(f"CustomFields{base.__name__}", (CustomFieldsForm, base), attrs)
        return super().get_form(request, obj, change, **kwargs)

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), *custom_list_filters(self.model))

    def save_model(self, request, obj, form, change):
        # Re-read the column under a row lock: keys the portal wrote since the page loaded are kept.
        merge_custom_values(obj, getattr(form, "custom_values", {}), lock=change)
        super().save_model(request, obj, form, change)

    @staticmethod
    def custom_values_summary(obj):
        return format_html_join("", "<div><b>{}</b>: {}</div>", custom_values_for(obj, "desk")) or "-"

    custom_values_summary.short_description = _("Custom fields")


class CustomFieldsForm(CustomFieldsFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_custom_values()

    def _post_clean(self):
        """Values go onto the instance with the model fields, so an admin whose `save_model` does not
        call ours (e.g. a special add path) still stores them."""
        super()._post_clean()
        merge_custom_values(self.instance, getattr(self, "custom_values", {}))
