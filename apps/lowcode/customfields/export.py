"""Export columns for custom fields, in the (header, getter) shape of the desk's spreadsheet export."""

from __future__ import annotations

from apps.lowcode.customfields.models import CustomField
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import display_value, fields_for_model


def _getter(field: CustomField, attr: str):
    return lambda obj: display_value(field, (getattr(obj, attr) or {}).get(field.fieldname))


def custom_export_columns(model) -> list[tuple[str, object]]:
    """One column per active field flagged for export; empty for DocTypes without custom fields."""
    if not getattr(model, "custom_fields_attr", None):
        return []
    attr = storage_attr(model)
    return [(field.label, _getter(field, attr)) for field in fields_for_model(model, "export")]
