"""The one place custom values are validated and read back: desk, portal, API and import all call
`clean_custom_values`, so a rule cannot differ between entry points."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from stdnum.cn import ric

from apps.lowcode.customfields.models import PLACES, CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # [0-9], not \d: \d also matches other scripts' digits
EMPTY = (None, "", [])


def fields_for_model(model, where: str) -> list[CustomField]:
    """Active fields of a DocType shown in `where`, whatever their scope (lists and exports span documents)."""
    if where not in PLACES:
        raise ValueError(f"unknown place {where!r}; one of {sorted(PLACES)}")
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return list(CustomField.objects.filter(document_type=content_type, active=True, **{PLACES[where]: True}))


def applies_to(field: CustomField, document) -> bool:
    """Scope {name: value or [values]} matched against the document's attributes; empty matches all."""
    for name, wanted in (field.scope or {}).items():
        actual = getattr(document, _attname(type(document), name), None)
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if actual not in allowed and str(actual) not in {str(value) for value in allowed}:
            return False
    return True


def custom_fields_for(document, where: str = "desk") -> list[CustomField]:
    return [field for field in fields_for_model(type(document), where) if applies_to(field, document)]


def clean_value(field: CustomField, raw):
    """Normalise one raw value (form string or JSON) to what is stored; raises ValidationError."""
    if isinstance(raw, str):
        raw = raw.strip()
    if field.field_type == FieldType.CHECKBOX:
        value = raw in (True, 1, "1", "true", "True", "on", "yes")
        if field.required and not value:
            raise ValidationError(_("This field is required."), code="required")
        return value
    if raw in EMPTY:
        if field.required:
            raise ValidationError(_("This field is required."), code="required")
        return None
    if field.field_type == FieldType.NUMBER:
        value = _number(raw)
    elif field.field_type == FieldType.DATE:
        value = _date(raw)
    elif field.field_type == FieldType.SELECT:
        value = str(raw)
        if value not in field.option_list:
            raise ValidationError(_("Choose one of the offered options."), code="invalid_choice")
    else:
        value = str(raw)
        if field.field_type in (FieldType.PHONE, FieldType.ID_NUMBER):  # full-width digits folded to ASCII
            value = "".join(unicodedata.normalize("NFKC", value).split())
        if field.field_type == FieldType.PHONE and not MOBILE.match(value):
            raise ValidationError(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
        if field.field_type == FieldType.ID_NUMBER:
            value = value.upper()
            if not _valid_resident_id(value):
                raise ValidationError(_("Enter a valid 18-character resident ID number."), code="invalid_id")
    if field.pattern and not re.fullmatch(field.pattern, str(value)):
        raise ValidationError(_("Enter a value in the expected format."), code="pattern")
    return value


def clean_custom_values(document, data: dict, *, where: str = "desk") -> dict:
    """Validate `data` ({fieldname: raw}) for the fields applying to `document` in `where`.

    Returns {fieldname: stored value} for every such field; raises one ValidationError keyed by
    fieldname listing every failing field. Keys that are not such a field are refused."""
    fields = custom_fields_for(document, where)
    known = {field.fieldname for field in fields}
    errors: dict[str, list] = {
        key: [ValidationError(_("No such field here."), code="unknown")] for key in data if key not in known
    }
    cleaned = {}
    for field in fields:
        try:
            cleaned[field.fieldname] = clean_value(field, data.get(field.fieldname))
        except ValidationError as exc:
            errors[field.fieldname] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge_custom_values(document, cleaned: dict, *, lock: bool = False) -> None:
    """Set values without dropping keys of fields that were removed or do not apply here.

    With `lock` (inside a transaction) the stored column is re-read under a row lock first, so keys
    another request wrote since the document was loaded are kept."""
    attr = storage_attr(document)
    stored = getattr(document, attr) or {}
    if lock and document.pk is not None:
        manager = type(document)._default_manager
        stored = manager.select_for_update().values_list(attr, flat=True).get(pk=document.pk) or {}
    setattr(document, attr, {**stored, **cleaned})


def set_custom_values(document, data: dict, *, where: str) -> dict:
    """Service for the API and imports: validate, then store. Returns the cleaned values."""
    cleaned = clean_custom_values(document, data, where=where)
    store_custom_values(document, cleaned)
    return cleaned


def store_custom_values(document, cleaned: dict) -> None:
    """Store values already cleaned (e.g. `form.custom_values` of a valid portal form) under a row
    lock, so concurrent edits of other keys are kept; only the JSON column is written."""
    with transaction.atomic():
        merge_custom_values(document, cleaned, lock=True)
        document.save(update_fields=[storage_attr(document)])


def display_value(field: CustomField, value) -> str | int | float:
    if value in EMPTY:
        return ""
    if field.field_type == FieldType.CHECKBOX:
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return value
    return str(value)


def custom_values_for(document, where: str = "print") -> list[tuple[str, object]]:
    """(label, display value) of the fields applying to the document, for print formats and details pages."""
    stored = getattr(document, storage_attr(document)) or {}
    fields = custom_fields_for(document, where)
    return [(field.label, display_value(field, stored.get(field.fieldname))) for field in fields]


def _attname(model, name: str) -> str:
    """`district` reads `district_id`: no query, and no error on an unsaved document."""
    try:
        return model._meta.get_field(name).attname
    except (FieldDoesNotExist, AttributeError):
        return name


def _number(raw):
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or isinstance(raw, bool):
        raise ValidationError(_("Enter a number."), code="invalid_number")
    return int(number) if number == number.to_integral_value() else float(number)


def _date(raw) -> str:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    try:
        value = parse_date(str(raw))
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid_date")
    return value.isoformat()


def _valid_resident_id(value: str) -> bool:
    """GB 11643: 17 digits and a check character; the birth-place table is not consulted."""
    return bool(re.fullmatch(r"[0-9]{17}[0-9X]", value)) and ric.calc_check_digit(value[:17]) == value[17]
