"""One list filter per custom field flagged for lists, filtering on the JSON key (MariaDB and SQLite)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.lowcode.customfields.models import FILTERABLE_TYPES, CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import fields_for_model
from apps.lowcode.filter_widgets import DropdownFilter

PARAMETER_PREFIX = "cf_"


class CustomFieldFilter(DropdownFilter):
    field: CustomField
    attr: str

    def lookups(self, request, model_admin):
        if self.field.field_type == FieldType.CHECKBOX:
            return [("1", _("Yes")), ("0", _("No"))]
        return [(option, option) for option in self.field.option_list]

    def queryset(self, request, queryset):
        value = self.value()
        if value in (None, ""):
            return queryset
        key = f"{self.attr}__{self.field.fieldname}"
        if self.field.field_type != FieldType.CHECKBOX:
            return queryset.filter(**{key: value})
        if value == "1":
            return queryset.filter(**{key: True})
        # Documents never saved since the field was added have no key: they count as unticked.
        return queryset.filter(Q(**{key: False}) | ~Q(**{f"{self.attr}__has_key": self.field.fieldname}))


def custom_list_filters(model) -> list[type[CustomFieldFilter]]:
    return [
        type(
            f"CustomFieldFilter_{field.fieldname}",
            (CustomFieldFilter,),
            {
                "title": field.label,
                "parameter_name": PARAMETER_PREFIX + field.fieldname,
                "field": field,
                "attr": storage_attr(model),
            },
        )
        for field in fields_for_model(model, "list_filter")
        if field.field_type in FILTERABLE_TYPES
    ]
