"""Spreadsheets (Excel or CSV) read as rows of {column key: value}, for Frappe-style data imports:
headers are matched against each column's accepted names, unknown or missing columns are refused
before any row is looked at, and row numbers are the ones the user sees in Excel (header = 1)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class RowError:
    row: int  # the line in the file, header = 1
    message: str


def read_cells(name: str, content: bytes) -> list[list[object]]:
    """Every row of the first sheet of an .xlsx, or of a .csv in UTF-8 (with or without BOM) or GB18030."""
    return list(iter_cells(name, io.BytesIO(content)))


def iter_cells(name: str, handle: BinaryIO, sized: Callable[[int], None] | None = None) -> Iterator[list[object]]:
    """The rows of `read_cells` one at a time from an open binary file, never all in memory: an .xlsx
    through openpyxl's read-only mode (the sheet is parsed as it is read; its shared strings are held),
    a .csv decoded as it is read, once its encoding is known (a first pass over the bytes).
    `sized(rows)` is told the rows an .xlsx's sheet declares (its dimension, header included)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(handle, read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError(_("This file cannot be read as an Excel workbook.")) from exc
        if sized is not None and sheet.max_row:
            sized(sheet.max_row)
        try:
            for row in sheet.iter_rows(values_only=True):
                yield ["" if v is None else v for v in row]
        finally:
            book.close()
        return
    if name.lower().endswith(".csv"):
        encoding = _csv_encoding(handle)
        handle.seek(0)
        yield from csv.reader(io.TextIOWrapper(handle, encoding=encoding, newline=""))
        return
    raise ValidationError(_("Upload an .xlsx or .csv file."))


def _csv_encoding(handle: BinaryIO) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030 text."))


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
    headers = header_keys(table[0], columns, required, any_of)
    return [{k: v for k, v in zip(headers, row, strict=False) if k} for row in table[1:]]


class SpreadsheetRows:
    """The rows of `read_rows` from a file on disk, read from the file as they are iterated (from the start
    again on each iteration) and never all held at once: a city's file has 150,000 rows. The header is
    checked when an iteration starts (ValidationError).
    `size`, once an iteration has started, is about the number of rows below the header (for a progress
    bar: an .xlsx's declared dimension, a .csv's line breaks) or 0 when unknown."""

    def __init__(self, path, columns: Mapping[str, Iterable[str]], required: Iterable[str] = (),
                 any_of: Iterable[str] = ()):
        self.path, self.columns, self.required, self.any_of = Path(path), columns, tuple(required), tuple(any_of)
        self.size = 0

    def _sized(self, rows: int) -> None:
        self.size = max(0, rows - 1)

    def __iter__(self) -> Iterator[dict[str, object]]:
        with self.path.open("rb") as handle:
            if self.path.suffix.lower() == ".csv" and not self.size:
                self._sized(sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")))
                handle.seek(0)
            cells = iter_cells(self.path.name, handle, self._sized)
            first = next(cells, None)
            if first is None:
                raise ValidationError(_("The file is empty."))
            headers = header_keys(first, self.columns, self.required, self.any_of)
            for row in cells:
                yield {k: v for k, v in zip(headers, row, strict=False) if k}


def header_keys(
    header: list[object], columns: Mapping[str, Iterable[str]], required: Iterable[str] = (), any_of: Iterable[str] = ()
) -> list[str | None]:
    """Each header cell's column key (None for an empty one); unknown or missing columns refused."""
    headers = [column_key(columns, str(h)) for h in header]
    unknown = [str(h) for h, key in zip(header, headers, strict=True) if key is None and str(h).strip()]
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
    return headers


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
