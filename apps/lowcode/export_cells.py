"""Cells for every Excel and CSV file the platform writes: text that a spreadsheet would run as a
formula (a parent's `=HYPERLINK(...)` as a name, `+`, `-`, `@`, or a leading tab or carriage return)
gets a leading apostrophe, so it opens as the text that was typed (OWASP "CSV injection").
Numbers, dates and booleans stay what they are: a count of -1 is still a number."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
