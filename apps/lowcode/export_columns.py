"""Export columns that say which attribute they read, so a large export reads values, not model instances.

A column is `(header, getter)`; a getter is an attribute path ("child.name"), `from_value(path, f)`,
`by_value(path, getter)` or any callable of the model instance. When every getter of an export names its
path and each path ends in a concrete field, `value_plan` turns the columns into one `values_list`
lookup each and one cell function per column, computed once: building four model instances per row
and the per-cell attribute walk were most of a 100,000-row export's time. Any other callable keeps the
instance path (`export_jobs`); both give the same cells (tests/bj_enrollment/test_export_fast_path.py).
"""

from __future__ import annotations

import contextlib
import contextvars

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from apps.lowcode.export_cells import safe_cell


def attribute(obj, path: str):
    """The value at a dotted attribute path; None once a step is None."""
    for part in path.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


class FromValue:
    """A column computed from the attribute at `path` alone: `func(value)`."""

    __slots__ = ("func", "path")

    def __init__(self, path: str, func):
        self.path, self.func = path, func

    def __call__(self, obj):
        return self.func(attribute(obj, self.path))


_labels: contextvars.ContextVar[dict | None] = contextvars.ContextVar("export_labels", default=None)


class ByValue:
    """A column that depends only on the attribute at `path` (a choice's or a state's label): within
    one export (`labels_remembered`) it is computed once per distinct value, not once per row (a label
    lookup per row was most of an export's time); outside one, every call computes."""

    __slots__ = ("getter", "path")

    def __init__(self, path: str, getter):
        self.path, self.getter = path, getter

    def __call__(self, obj):
        memo = _labels.get()
        if memo is None:
            return self.getter(obj)
        key = (id(self), attribute(obj, self.path))
        if key not in memo:
            memo[key] = self.getter(obj)
        return memo[key]


@contextlib.contextmanager
def labels_remembered():
    token = _labels.set({})
    try:
        yield
    finally:
        _labels.reset(token)


def from_value(path: str, func) -> FromValue:
    return FromValue(path, func)


def by_value(path: str, getter) -> ByValue:
    return ByValue(path, getter)


def cell_value(value, tz=None):
    """A value as a spreadsheet cell: numbers and dates kept, aware times in local time (`tz`, else the
    current time zone), None empty, anything else its text."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value, tz).replace(tzinfo=None)
    return value if isinstance(value, int | float) or hasattr(value, "isoformat") else str(value)


def safe_cell_value(value, tz=None):
    """`cell_value`, then `export_cells.safe_cell` (the formula guard's one home)."""
    if value.__class__ is not str:
        value = cell_value(value, tz)
    return safe_cell(value)


def _lookup(model, path: str) -> str | None:
    """"child.name" -> "child__name" when each step is a forward relation and the last a concrete,
    non-relation field (what `values_list` returns is then what the attribute holds); None otherwise."""
    parts = path.split(".")
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.name != part or not field.concrete:
            return None
        if index < len(parts) - 1:
            if not (field.many_to_one or field.one_to_one):
                return None
            model = field.related_model
        elif field.is_relation:
            return None
    return "__".join(parts)


def _stand_in_label(model, path: str, getter):
    """A ByValue column from a value: its getter asked once per distinct value, of an unsaved instance
    holding only that value (the getter depends on nothing else, which is what by_value declares)."""
    memo = {}

    def label(value):
        if value not in memo:
            memo[value] = getter(model(**{path: value}))
        return memo[value]

    return label


def value_plan(model, columns) -> tuple[list[str], list[tuple[int, object]]] | None:
    """(lookups for values_list, [(index of the column's lookup, value -> cell)]) or None when a column
    needs the model instance."""
    lookups: list[str] = []
    cells = []
    tz = timezone.get_current_timezone()  # once per export, not once per cell
    for _header, getter in columns:
        if isinstance(getter, str):
            path, func = getter, None
        elif isinstance(getter, FromValue):
            path, func = getter.path, getter.func
        elif isinstance(getter, ByValue) and "." not in getter.path:
            path, func = getter.path, _stand_in_label(model, getter.path, getter.getter)
        else:
            return None
        lookup = _lookup(model, path)
        if lookup is None:
            return None
        if lookup not in lookups:
            lookups.append(lookup)
        cells.append((lookups.index(lookup), _cell_function(func, tz)))
    return lookups, cells


def _cell_function(func, tz):
    if func is None:
        return lambda value: safe_cell_value(value, tz)
    return lambda value: safe_cell_value(func(value), tz)
