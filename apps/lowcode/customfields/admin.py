"""Desk pages for custom field definitions; rules are checked in `CustomField.clean`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from apps.lowcode.customfields.models import CustomField


@admin.register(CustomField)
class CustomFieldAdmin(ModelAdmin):
    list_display = ["label_zh", "fieldname", "document_type", "field_type", "section", "required", "order", "active"]
    list_display_links = ["label_zh", "fieldname"]
    list_filter = ["document_type", "field_type", "active"]
    search_fields = ["fieldname", "label_zh", "label_en"]
    list_editable = ["order", "active"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "document_type",
                    ("fieldname", "field_type"),
                    ("label_zh", "label_en"),
                    ("required", "active"),
                ]
            },
        ),
        (
            _("Input"),
            {"fields": [("help_text_zh", "help_text_en"), "pattern", "options", "max_size_mb", "columns"]},
        ),
        (_("Conditions"), {"fields": ["depends_on", "mandatory_depends_on"]}),
        (
            _("Where it applies and shows"),
            {
                "fields": [
                    "scope",
                    ("show_in_desk", "show_in_list_filter", "show_in_export"),
                    ("show_in_portal", "show_in_print"),
                    ("section", "order"),
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("options", "scope", "columns") and field is not None:
            field.widget.attrs["rows"] = 4
        return field
