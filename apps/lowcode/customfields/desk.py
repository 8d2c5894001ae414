"""Mixin for a DocType's ModelAdmin: custom fields on the change page (fieldset "Custom fields"),
as list filters, and stored into the JSON column, all without code per field."""

from __future__ import annotations

import mimetypes

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from unfold import widgets as unfold_widgets

from apps.lowcode.audit.record import Action, record
from apps.lowcode.customfields.filters import custom_list_filters
from apps.lowcode.customfields.forms import CustomFieldsFormMixin, form_fields_for
from apps.lowcode.customfields.models import FieldType
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import PendingFile, custom_values_for, merge_custom_values

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
        saved = obj is not None
        if obj is None:
            obj = self.model()
        fields = form_fields_for(obj, "desk", prefix=PREFIX, widgets=DESK_WIDGETS)
        if saved:
            meta = self.model._meta
            for name, field in fields.items():
                if hasattr(field.widget, "download_url"):
                    field.widget.download_url = reverse(
                        f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_custom_file",
                        args=[obj.pk, name.removeprefix(PREFIX)],
                    )
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not self.fieldsets and fieldsets:  # Django's single default fieldset lists every form field
            title, options = fieldsets[0]
            fields = [f for f in options["fields"] if not str(f).startswith(PREFIX) and f != "custom_values_summary"]
            fieldsets[0] = (title, {**options, "fields": fields})
        if obj is not None and not self.has_change_permission(request, obj):
            if custom_values_for(obj, "desk"):
                fieldsets.append((self.custom_fields_title, {"fields": ["custom_values_summary"]}))
            return fieldsets
        sections: dict[str, list[str]] = {}  # one fieldset per section, in the fields' order
        for name, field in self._custom_form_fields(obj).items():
            sections.setdefault(field.custom_section or "", []).append(name)
        for title, names in sections.items():
            fieldsets.append((title or self.custom_fields_title, {"fields": names}))
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

    def get_urls(self):
        meta = self.model._meta
        view = self.admin_site.admin_view(self.custom_file_view)
        name = f"{meta.app_label}_{meta.model_name}_custom_file"
        return [path("<path:object_id>/custom-file/<str:fieldname>/", view, name=name), *super().get_urls()]

    def custom_file_view(self, request, object_id, fieldname):
        """An attachment custom field's file, for whoever may view the document (scope included:
        `get_object` reads through the admin's scoped queryset); each download is a recorded read."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if fieldname not in {f.removeprefix(PREFIX) for f in self._custom_form_fields(obj)}:
            raise Http404
        value = (getattr(obj, storage_attr(obj)) or {}).get(fieldname)
        if not isinstance(value, dict) or not value.get("path") or not default_storage.exists(value["path"]):
            raise Http404
        record(request, Action.VIEW, self.model, object_id=obj.pk, detail=f"custom file {fieldname}")
        content_type = mimetypes.guess_type(value.get("name", ""))[0] or "application/octet-stream"
        response = FileResponse(default_storage.open(value["path"]), as_attachment=True,
                                filename=value.get("name") or "file", content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response

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
        values = getattr(self, "custom_values", {})
        # Uploads are written by `save_model` only: a page refused for another field leaves no file.
        merge_custom_values(self.instance, {k: v for k, v in values.items() if not isinstance(v, PendingFile)})
