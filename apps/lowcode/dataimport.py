"""Spreadsheets (Excel or CSV) read as rows of {column key: value}, for Frappe-style data imports:
headers are matched against each column's accepted names, unknown or missing columns are refused
before any row is looked at, and row numbers are the ones the user sees in Excel (header = 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class RowError:
    row: int  # the line in the file, header = 1
    message: str


def read_cells(name: str, content: bytes) -> list[list[object]]:
    """Every row of the first sheet of an .xlsx, or of a .csv in UTF-8 (with or without BOM) or GB18030."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError(_("This file cannot be read as an Excel workbook.")) from exc
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return list(csv.reader(io.StringIO(content.decode(encoding))))
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030 text."))
    raise ValidationError(_("Upload an .xlsx or .csv file."))


def read_rows(
    name: str,
    content: bytes,
    columns: Mapping[str, Iterable[str]],
    required: Iterable[str] = (),
    any_of: Iterable[str] = (),
) -> list[dict[str, object]]:
    """Rows keyed by column key; `columns` maps each key to its accepted headers (first = the label).
    Every `required` column must be there, and at least one of `any_of` when given."""
    table = read_cells(name, content)
    if not table:
        raise ValidationError(_("The file is empty."))
    headers = [column_key(columns, str(h)) for h in table[0]]
    unknown = [str(h) for h, key in zip(table[0], headers, strict=True) if key is None and str(h).strip()]
    if unknown:
        raise ValidationError(_("Unknown columns: %(names)s.") % {"names": "、".join(unknown)})
    missing = [next(iter(columns[k])) for k in required if k not in headers]
    any_of = tuple(any_of)
    if any_of and not set(any_of) & set(headers):
        missing.append("/".join(next(iter(columns[k])) for k in any_of))
    if missing:
        raise ValidationError(
            _("The first row must name the columns; required: %(names)s.") % {"names": "、".join(missing)}
        )
    return [{k: v for k, v in zip(headers, row, strict=False) if k} for row in table[1:]]


def column_key(columns: Mapping[str, Iterable[str]], header: str) -> str | None:
    header = unicodedata.normalize("NFKC", header).strip().lower()
    return next((key for key, names in columns.items() if header in names), None)


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = text(value)
    if not written:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(written, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date (write 2017-06-30).") % {"value": written})


@dataclass
class ImportResult:
    """What an import did, or, with errors, why it did nothing."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def integer(value) -> int:
    written = text(value)
    if not re.fullmatch(r"[0-9]+", written):  # text() folded full-width digits; other scripts' are refused
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": written})
    return int(written)
