"""Export columns for custom fields, in the (header, getter) shape of the desk's spreadsheet export.
Mobile and ID number fields leave masked, like the DocType's own columns (R26)."""

from __future__ import annotations

from apps.lowcode.customfields.models import CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr
from apps.lowcode.customfields.values import display_value, fields_for_model
from apps.lowcode.export_columns import FromValue, from_value
from apps.lowcode.masking import mask_id_number, mask_phone

MASKS = {FieldType.PHONE: mask_phone, FieldType.ID_NUMBER: mask_id_number}


def _getter(field: CustomField, attr: str) -> FromValue:
    """The field's display value from the stored values (the export reads the stored column, not the instance)."""
    mask = MASKS.get(field.field_type)

    def value(stored):
        shown = display_value(field, (stored or {}).get(field.fieldname))
        return mask(shown) if mask and shown else shown

    return from_value(attr, value)


def custom_export_columns(model) -> list[tuple[str, object]]:
    """One column per active field flagged for export; empty for DocTypes without custom fields."""
    if not getattr(model, "custom_fields_attr", None):
        return []
    attr = storage_attr(model)
    return [(field.label, _getter(field, attr)) for field in fields_for_model(model, "export")]
