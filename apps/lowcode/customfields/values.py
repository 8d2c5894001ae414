"""The one place custom values are validated and read back: desk, portal, API and import all call
`clean_custom_values`, so a rule cannot differ between entry points."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from stdnum.cn import ric

from apps.lowcode.customfields.conditions import condition_names, holds
from apps.lowcode.customfields.definitions import active_fields
from apps.lowcode.customfields.models import MAX_TABLE_ROWS, CustomField, FieldType
from apps.lowcode.customfields.registry import storage_attr

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # [0-9], not \d: \d also matches other scripts' digits
EMPTY = (None, "", [])
CLEAR = "__clear__"  # what an attachment widget (or the API) sends to remove the stored file
STORAGE_DIR = "custom_fields"


@dataclass(frozen=True)
class PendingFile:
    """A checked upload not written yet: `persist_files` writes it, outside the transaction that
    stores the values, and only once every value is valid (a refused form leaves no file behind)."""

    file: object
    name: str


def fields_for_model(model, where: str) -> list[CustomField]:
    """Active fields of a DocType shown in `where`, whatever their scope (lists and exports span
    documents); read once per web request (definitions.py)."""
    return active_fields(model, where)


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


def clean_value(field: CustomField, raw, *, stored=None, required: bool | None = None):
    """Normalise one raw value (form string, JSON, upload) to what is stored; raises ValidationError.
    `stored`: the value kept when an attachment is not sent again; `required` overrides the field's."""
    required = field.required if required is None else required
    if isinstance(raw, str):
        raw = raw.strip()
    if field.field_type == FieldType.CHECKBOX:
        value = raw in (True, 1, "1", "true", "True", "on", "yes")
        if required and not value:
            raise ValidationError(_("This field is required."), code="required")
        return value
    if field.field_type == FieldType.ATTACHMENT:
        value = _attachment(field, raw, stored)
    elif field.field_type == FieldType.TABLE:
        value = _table(field, raw)
    else:
        value = None if raw in EMPTY else _simple(field, raw)
    if value in EMPTY and required:
        raise ValidationError(_("This field is required."), code="required")
    return value


def _simple(field: CustomField, raw):
    if isinstance(raw, dict | list):
        raise ValidationError(_("Enter a value in the expected format."), code="pattern")
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


def _attachment(field: CustomField, raw, stored):
    """An upload is checked by its content (apps/lowcode/uploads.py); nothing sent, or the stored
    value sent back (the API's round trip), keeps the stored file; CLEAR or False removes it."""
    if raw is False or raw == CLEAR:
        return None
    if raw in EMPTY or isinstance(raw, dict):
        return stored or None
    if not (hasattr(raw, "read") and hasattr(raw, "name")):
        raise ValidationError(_("Upload a file."), code="upload_type")
    from apps.lowcode.uploads import check_upload

    cleaned = check_upload(raw, field.file_kinds, field.max_bytes)
    return PendingFile(file=cleaned, name=os.path.basename(str(raw.name))[-100:] or "file")


def _table(field: CustomField, raw) -> list[dict] | None:
    """Rows of the configured columns, each cell checked as a field of its own; empty rows dropped."""
    if isinstance(raw, str) and raw:
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = "not rows"
    if raw in EMPTY:
        return None
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise ValidationError(_("Enter the table as a list of rows."), code="table_rows")
    columns = field.column_fields()
    names = {column.fieldname for column in columns}
    rows, errors = [], []
    for number, row in enumerate(raw, 1):
        unknown = sorted(set(row) - names)
        if unknown:
            errors.append(ValidationError(_("Row %(row)s: no column %(columns)s."),
                                          code="table_cell", params={"row": number, "columns": ", ".join(unknown)}))
            continue
        if all(row.get(name) in (*EMPTY, False) for name in names):
            continue
        cleaned = {}
        for column in columns:
            try:
                cleaned[column.fieldname] = clean_value(column, row.get(column.fieldname))
            except ValidationError as exc:
                errors.append(ValidationError(
                    _("Row %(row)s, “%(column)s”: %(error)s"),
                    code="table_cell",
                    params={"row": number, "column": column.label, "error": " ".join(exc.messages)},
                ))
        rows.append(cleaned)
    if len(rows) > MAX_TABLE_ROWS:
        errors.append(ValidationError(_("A table holds at most %(limit)s rows."), code="table_rows",
                                      params={"limit": MAX_TABLE_ROWS}))
    if errors:
        raise ValidationError(errors)
    return rows or None


def clean_custom_values(document, data: dict, *, where: str = "desk", draft: bool = False) -> dict:
    """Validate `data` ({fieldname: raw}) for the fields applying to `document` in `where`.

    Returns {fieldname: stored value} for every such field; raises one ValidationError keyed by
    fieldname listing every failing field. Keys that are not such a field are refused. A field whose
    "shown when" does not hold (over the document and the values being saved) keeps no value; one
    whose "required when" holds is required. A `draft` checks formats only."""
    fields = custom_fields_for(document, where)
    known = {field.fieldname for field in fields}
    errors: dict[str, list] = {
        key: [ValidationError(_("No such field here."), code="unknown")] for key in data if key not in known
    }
    stored = getattr(document, storage_attr(document)) or {}
    cleaned = {}
    for field in fields:
        try:
            cleaned[field.fieldname] = clean_value(
                field, data.get(field.fieldname), stored=stored.get(field.fieldname), required=False
            )
        except ValidationError as exc:
            errors[field.fieldname] = exc.error_list
    names = condition_names(
        document, {**stored, **{k: v for k, v in cleaned.items() if not isinstance(v, PendingFile)}}
    )
    for field in fields:
        if not holds(field.depends_on, names):
            cleaned[field.fieldname] = None
            errors.pop(field.fieldname, None)
            continue
        required = field.required or bool(field.mandatory_depends_on and holds(field.mandatory_depends_on, names))
        value = cleaned.get(field.fieldname)
        if required and not draft and field.fieldname not in errors and value in (*EMPTY, False):
            errors[field.fieldname] = [ValidationError(_("This field is required."), code="required")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def shown(field: CustomField, document) -> bool:
    """Whether the field shows for the document as stored (its "shown when")."""
    if not field.depends_on:
        return True
    return holds(field.depends_on, condition_names(document, getattr(document, storage_attr(document)) or {}))


def required_now(field: CustomField, document) -> bool:
    """Whether the field is required for the document as stored (the form's required mark)."""
    if field.required or not field.mandatory_depends_on:
        return field.required
    names = condition_names(document, getattr(document, storage_attr(document)) or {})
    return holds(field.mandatory_depends_on, names)


def persist_files(document, cleaned: dict) -> dict:
    """Write pending uploads through Django's storage API; the stored value names the file. Call
    outside a transaction where the caller can (a remote store is an external call)."""
    done = {}
    for key, value in cleaned.items():
        if isinstance(value, PendingFile):
            extension = os.path.splitext(getattr(value.file, "name", "") or value.name)[1].lower()[:10]
            meta = type(document)._meta
            path = default_storage.save(
                f"{STORAGE_DIR}/{meta.app_label}_{meta.model_name}/{key}/{uuid.uuid4().hex}{extension}", value.file
            )
            value = {"name": value.name, "path": path, "size": getattr(value.file, "size", None)}
        done[key] = value
    return done


def merge_custom_values(document, cleaned: dict, *, lock: bool = False) -> dict:
    """Set values without dropping keys of fields that were removed or do not apply here; returns
    the values stored before.

    With `lock` (inside a transaction) the stored column is re-read under a row lock first, so keys
    another request wrote since the document was loaded are kept."""
    attr = storage_attr(document)
    cleaned = persist_files(document, cleaned)
    stored = getattr(document, attr) or {}
    if lock and document.pk is not None:
        manager = type(document)._default_manager
        stored = manager.select_for_update().values_list(attr, flat=True).get(pk=document.pk) or {}
    setattr(document, attr, {**stored, **cleaned})
    return stored


def set_custom_values(document, data: dict, *, where: str, draft: bool = False) -> dict:
    """Service for the API and imports: validate, then store. Returns the stored values."""
    cleaned = clean_custom_values(document, data, where=where, draft=draft)
    return store_custom_values(document, cleaned)


def store_custom_values(document, cleaned: dict) -> None:
    """Store values already cleaned (e.g. `form.custom_values` of a valid portal form) under a row
    lock, so concurrent edits of other keys are kept; only the JSON column is written. Uploads are
    written first, outside the transaction."""
    cleaned = persist_files(document, cleaned)
    if not cleaned:  # nothing to store: no lock, no write, no history row
        return cleaned
    attr = storage_attr(document)
    with transaction.atomic():
        stored = merge_custom_values(document, cleaned, lock=True)
        if document.pk is None or getattr(document, attr) != stored:  # unchanged: no write, no history
            document.save(update_fields=[attr])
    return cleaned


def display_value(field: CustomField, value) -> str | int | float:
    if value in EMPTY:
        return ""
    if field.field_type == FieldType.CHECKBOX:
        return _("Yes") if value else _("No")
    if field.field_type == FieldType.ATTACHMENT:
        return str(value.get("name", "")) if isinstance(value, dict) else str(value)
    if field.field_type == FieldType.TABLE and isinstance(value, list):
        columns = field.column_fields()
        return "；".join(
            "，".join(f"{column.label}：{display_value(column, row.get(column.fieldname))}" for column in columns)
            for row in value
            if isinstance(row, dict)
        )
    if isinstance(value, int | float):
        return value
    return str(value)


def custom_values_for(document, where: str = "print") -> list[tuple[str, object]]:
    """(label, display value) of the fields applying to the document, for print formats and details pages."""
    stored = getattr(document, storage_attr(document)) or {}
    fields = [field for field in custom_fields_for(document, where) if shown(field, document)]
    return [(field.label, display_value(field, stored.get(field.fieldname))) for field in fields]


def custom_sections(document, where: str = "print", *, default_title: str = "") -> list[dict]:
    """The fields shown for the document, grouped by section in their order, as plain data for a
    print format: {"title", "fields": [{"label", "value", "columns", "rows"}]}; a table's `value` is
    its text and `columns`/`rows` its cells."""
    stored = getattr(document, storage_attr(document)) or {}
    sections: dict[str, list] = {}
    for field in custom_fields_for(document, where):
        if not shown(field, document):
            continue
        value = stored.get(field.fieldname)
        entry = {"label": field.label, "value": display_value(field, value), "columns": [], "rows": []}
        if field.field_type == FieldType.TABLE:
            columns = field.column_fields()
            entry["columns"] = [column.label for column in columns]
            entry["rows"] = [
                [display_value(column, row.get(column.fieldname)) for column in columns]
                for row in (value if isinstance(value, list) else [])
                if isinstance(row, dict)
            ]
        sections.setdefault(field.section or default_title, []).append(entry)
    return [{"title": title, "fields": fields} for title, fields in sections.items()]


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
