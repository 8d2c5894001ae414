"""A one-sheet Excel file written as a stream of rows, for the large exports (export_jobs).

openpyxl's write-only mode still builds a cell object and an XML element per cell (about 10 µs each:
10 s of a 100,000-row export); this writes the same sheet XML openpyxl writes — inline strings, numbers,
booleans, dates as serial numbers with openpyxl's date formats — as text, row by row, into the zip.
Reading the file back with openpyxl gives the values openpyxl's own file gives
(tests/bj_enrollment/test_export_fast_path.py). Cells are what `export_columns.safe_cell_value` returns:
str, int, float, bool, date, datetime (naive) or time.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

MAX_TEXT = 32767  # Excel's longest cell text; openpyxl cuts there too
# XML 1.0 cannot hold these; openpyxl refuses the whole file, here they are dropped
ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
BATCH = 500  # rows joined per write into the zip
NOT_IN_SHEET_NAMES = re.compile(r"[\\/*?:\[\]]")  # Excel refuses these in a sheet's name

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
    f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/styles" Target="styles.xml"/></Relationships>'
)
# cell styles 1, 2, 3: openpyxl's formats for a date, a date and time, a time (built-in 21)
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
SHEET_START = f'<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def _text(value: str) -> str:
    value = value[:MAX_TEXT]
    if ILLEGAL.search(value):
        value = ILLEGAL.sub("", value)
    if value in ERROR_CODES:
        return f't="e"><v>{value}</v></c>'
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f't="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _cell(value) -> str:
    """Everything of a `<c r="..."` element after its reference."""
    kind = value.__class__
    if kind is str:
        return _text(value) if value else 't="inlineStr"/>'
    if kind is bool:
        return f't="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        return f't="n"><v>{value:.16g}</v></c>'
    if isinstance(value, dt.datetime):
        return f's="2" t="n"><v>{to_excel(value):.16g}</v></c>'
    if isinstance(value, dt.date):
        return f's="1" t="n"><v>{to_excel(value):.16g}</v></c>'
    if isinstance(value, dt.time):
        return f's="3" t="n"><v>{to_excel(value):.16g}</v></c>'
    if isinstance(value, int | float):
        return f't="n"><v>{value:.16g}</v></c>'
    return _text(str(value))


def write(path: Path, title: str, headers: list, rows: Iterable[list]) -> int:
    """Write the sheet `title` (headers, then rows) to `path`; returns the rows written, headers aside."""
    written = 0
    letters: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        name = quoteattr(NOT_IN_SHEET_NAMES.sub("", title)[:31] or "Sheet1")
        book.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            f'<sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'
        ))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            batch = []
            for number, row in enumerate(_all(headers, rows), 1):
                while len(letters) < len(row):
                    letters.append(get_column_letter(len(letters) + 1))
                batch.append(f'<row r="{number}">' + "".join(
                    f'<c r="{letter}{number}" {_cell(value)}' for letter, value in zip(letters, row, strict=False)
                    if value is not None
                ) + "</row>")
                written = number - 1
                if len(batch) >= BATCH:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + SHEET_END).encode())
    return written


def _all(headers, rows):
    yield headers
    yield from rows
