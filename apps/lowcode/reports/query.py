"""The report builder's query: columns, filters and a group-by checked against the registered source's
fields and its active custom fields, then turned into ORM lookups. No field path, lookup or SQL
comes from the administrator: a name either is one of the allowed columns or the report is refused
with a message that says which names are allowed. The runner's scope (the source's own function,
the one its desk lists use) is applied on every run, so a report shared with many shows each
person only their rows."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.lowcode.customfields.export import MASKS
from apps.lowcode.customfields.models import CustomField, FieldType
from apps.lowcode.customfields.values import EMPTY, clean_value, display_value, fields_for_model
from apps.lowcode.reports.registry import Source, source_for

CUSTOM_PREFIX = "cf:"
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "contains", "in", "empty")
_RANGE = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
_ORDERED = (models.IntegerField, models.DecimalField, models.FloatField, models.DateField)  # DateTimeField too
_TEXT = (models.CharField, models.TextField)
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    key: str  # what a report stores: a field name, or "cf:" + a custom field's name
    header: str
    field: object  # the model field or the CustomField

    @property
    def custom(self) -> bool:
        return isinstance(self.field, CustomField)


@dataclass(frozen=True)
class Group:
    key: object
    label: str
    count: int


def available_columns(source: Source) -> list[Column]:
    meta = source.model._meta
    own = [Column(name, str(meta.get_field(name).verbose_name), meta.get_field(name)) for name in source.columns]
    custom = []
    if getattr(source.model, "custom_fields_attr", None):
        custom = [Column(CUSTOM_PREFIX + f.fieldname, f.label, f) for f in fields_for_model(source.model, "export")]
    return own + custom


def groupable(source: Source, column: Column) -> bool:
    field = column.field
    if column.custom:
        return field.field_type in (FieldType.SELECT, FieldType.CHECKBOX)
    return bool(source.choices_of(field.name)) or isinstance(
        field, models.BooleanField | models.ForeignKey | models.DateField
    )


class Plan:
    """A validated report: what to select, which rows, how to group."""

    def __init__(self, source: Source, columns: list[str], filters: list[dict], group_by: str = ""):
        self.source = source
        self.model = source.model
        allowed = {c.key: c for c in available_columns(source)}
        errors: dict[str, list[str]] = {}
        unknown = [key for key in columns if key not in allowed]
        if unknown:
            errors["columns"] = [self._not_allowed(unknown[0], allowed)]
        if not columns and not group_by:
            errors.setdefault("columns", []).append(_("Choose at least one column, or a group-by."))
        self.columns = [allowed[key] for key in columns if key in allowed]
        self.condition = Q()
        filter_errors = []
        for number, spec in enumerate(filters, start=1):
            try:
                self.condition &= self._condition(spec, allowed)
            except ValidationError as exc:
                filter_errors.append(_("Filter %(n)d: %(message)s") % {"n": number, "message": " ".join(exc.messages)})
        if filter_errors:
            errors["filters"] = filter_errors
        self.group = None
        if group_by:
            column = allowed.get(group_by)
            if column is None:
                errors["group_by"] = [self._not_allowed(group_by, allowed)]
            elif not groupable(source, column):
                errors["group_by"] = [
                    _("“%(name)s” cannot be grouped: choose a field with options, a yes/no, a link or a date.")
                    % {"name": column.header}
                ]
            else:
                self.group = column
        if errors:
            raise ValidationError(errors)

    # --- running -------------------------------------------------------------------------------

    def queryset(self, user):
        """The rows of this report that `user` may see."""
        return self.source.scope(self.model._default_manager.filter(self.condition), user)

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def rows(self, queryset, limit: int | None = None):
        """Display values (choices by label, masks applied), one list per row, read in chunks."""
        paths = [self._path(c) for c in self.columns]
        if not paths:
            return
        values = queryset.values_list(*paths)
        values = values[:limit] if limit is not None else values.iterator(chunk_size=CHUNK)
        links = [c for c in self.columns if not c.custom and c.field.is_relation]
        labelled = {c.key: self._labels_of(c) for c in self.columns if not c.custom and not c.field.is_relation}
        for chunk in _batched(values, CHUNK):
            names = {
                **labelled,
                **{
                    c.key: _labels(c.field.related_model, {row[i] for row in chunk})
                    for i, c in enumerate(self.columns)
                    if c in links
                },
            }
            for row in chunk:
                yield [self._show(c, row[i], names) for i, c in enumerate(self.columns)]

    def getters(self) -> list[tuple[str, object]]:
        """(header, getter of a model instance) per column, for the worker's export
        (apps/lowcode/export_jobs.py), which reads instances with the links selected."""
        return [(c.header, self._getter(c)) for c in self.columns]

    def with_links(self, queryset):
        return queryset.select_related(*[c.field.name for c in self.columns if not c.custom and c.field.is_relation])

    def groups(self, queryset) -> list[Group]:
        """Counts per value of the group-by column, largest first; they add up to the row count."""
        column = self.group
        if column is None:
            return []
        field = column.field
        if column.custom:
            expression = KT(f"{self.model.custom_fields_attr}__{field.fieldname}")
        elif isinstance(field, models.DateTimeField):
            expression = TruncDate(field.name)
        else:
            expression = models.F(field.attname)
        data = queryset.order_by().annotate(report_group=expression).values("report_group").annotate(n=Count("pk"))
        counts: dict[object, int] = {}
        for row in data:
            key = row["report_group"]
            if column.custom and field.field_type == FieldType.CHECKBOX:
                key = str(key).lower() in ("true", "1")  # an absent key counts as unticked, like the list filter
            counts[key] = counts.get(key, 0) + row["n"]
        names = _labels(field.related_model, set(counts)) if not column.custom and field.is_relation else {}
        if not column.custom and not field.is_relation:
            names = self._labels_of(column)
        groups = [Group(key, self._group_label(column, key, names), n) for key, n in counts.items()]
        return sorted(groups, key=lambda g: (-g.count, g.label))

    # --- internals -----------------------------------------------------------------------------

    def _not_allowed(self, name: str, allowed: dict) -> str:
        return _("“%(name)s” is not a field this report may use. Allowed: %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(allowed),
        }

    def _path(self, column: Column) -> str:
        return self.model.custom_fields_attr if column.custom else column.field.attname

    def _labels_of(self, column: Column) -> dict:
        """{value: label} of a column with choices (the field's, or the source's for data-defined ones)."""
        return {value: str(label) for value, label in self.source.choices_of(column.field.name) or []}

    def _getter(self, column: Column):
        if column.custom:
            return lambda obj: self._show(column, getattr(obj, self.model.custom_fields_attr), {})
        if column.field.is_relation:
            return lambda obj: str(getattr(obj, column.field.name) or "")
        names = {column.key: self._labels_of(column)}
        return lambda obj: self._show(column, getattr(obj, column.field.attname), names)

    def _show(self, column: Column, value, names: dict):
        if column.custom:
            shown = display_value(column.field, (value or {}).get(column.field.fieldname))
            mask = MASKS.get(column.field.field_type)
            return mask(shown) if mask and shown else shown
        field = column.field
        if value is None:
            return ""
        if field.is_relation:
            return names[column.key].get(value, "")
        if names.get(column.key):
            value = names[column.key].get(value, value)
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, dt.datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        mask = self.source.masks.get(column.key)
        return mask(value) if mask else value

    def _group_label(self, column: Column, key, names: dict) -> str:
        field = column.field
        if key is None or key == "":
            return "—"
        if column.custom:
            return str(display_value(field, key))
        if field.is_relation or names:
            return names.get(key, str(key))
        if isinstance(key, bool):
            return _("Yes") if key else _("No")
        return key.isoformat() if hasattr(key, "isoformat") else str(key)

    def _condition(self, spec: dict, allowed: dict) -> Q:
        if not isinstance(spec, dict):
            raise ValidationError(_("write a filter as: field operator value."))
        name, op, raw = spec.get("field"), spec.get("op"), spec.get("value", "")
        column = allowed.get(name)
        if column is None:
            raise ValidationError(self._not_allowed(str(name), allowed))
        if op not in OPERATORS:
            raise ValidationError(
                _("“%(op)s” is not an operator. Use one of: %(ops)s.") % {"op": op, "ops": " ".join(OPERATORS)}
            )
        raw = "" if raw is None else str(raw).strip()
        if column.custom:
            return self._custom_condition(column, op, raw)
        return self._field_condition(column, op, raw)

    def _field_condition(self, column: Column, op: str, raw: str) -> Q:
        field, name = column.field, column.field.name
        if op == "empty":
            condition = Q(**{f"{name}__isnull": True}) if field.null else Q(pk__in=[])
            return condition | Q(**{name: ""}) if isinstance(field, _TEXT) else condition
        if op in _RANGE and not isinstance(field, _ORDERED):
            raise ValidationError(_("“%(name)s” has no order; use = or !=.") % {"name": column.header})
        if op == "contains" and (not isinstance(field, _TEXT) or self.source.choices_of(name)):
            raise ValidationError(_("“contains” applies to text fields only."))
        if field.is_relation:
            return self._link_condition(column, op, raw)
        if op == "in":
            values = [self._field_value(column, part) for part in _split(raw)]
            return Q(**{f"{name}__in": values})
        value = self._field_value(column, raw)
        if op == "contains":
            return Q(**{f"{name}__icontains": value})
        if op in _RANGE:
            return Q(**{f"{name}__{_RANGE[op]}": value})
        return ~Q(**{name: value}) if op == "!=" else Q(**{name: value})

    def _link_condition(self, column: Column, op: str, raw: str) -> Q:
        """A link by id or by name (`district = 东城区`). Reference rows are looked up, so a typo is
        named; rows holding personal data (a child) are not, so a filter cannot probe who exists."""
        field, related = column.field, column.field.related_model
        parts = _split(raw) if op == "in" else [raw]
        if not parts or "" in parts:
            raise ValidationError(_("give a value for “%(name)s”.") % {"name": column.header})
        ids = [int(p) for p in parts if p.isascii() and p.isdigit()]
        names = [p for p in parts if not (p.isascii() and p.isdigit())]
        named = any(f.name == "name" for f in related._meta.fields)
        linked = source_for(related)
        if not (linked and linked.personal) or (names and not named):
            known = {str(pk) for pk in related._default_manager.filter(pk__in=ids).values_list("pk", flat=True)}
            if named:
                known |= set(related._default_manager.filter(name__in=names).values_list("name", flat=True))
            missing = [p for p in parts if p not in known]
            if missing:
                raise ValidationError(
                    _("no %(what)s “%(value)s”.") % {"what": related._meta.verbose_name, "value": missing[0]}
                )
        condition = Q(**{f"{field.name}__in": ids}) if ids else Q(pk__in=[])
        if names:
            condition |= Q(**{f"{field.name}__name__in": names})
        return ~condition if op == "!=" else condition

    def _field_value(self, column: Column, raw: str):
        field = column.field
        if raw == "":
            raise ValidationError(_("give a value for “%(name)s”.") % {"name": column.header})
        choices = self.source.choices_of(field.name)
        if choices:
            by_label = {str(label): value for value, label in choices}
            if raw in by_label:
                return by_label[raw]
            if raw in dict(choices):
                return raw
            raise ValidationError(
                _("“%(value)s” is not one of the values of “%(name)s”: %(values)s.")
                % {"value": raw, "name": column.header, "values": ", ".join(by_label)}
            )
        if isinstance(field, models.BooleanField):
            return _yes_no(raw, column.header)
        try:
            value = field.to_python(raw)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid value for “%(name)s”.") % {"value": raw, "name": column.header}
            ) from None
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def _custom_condition(self, column: Column, op: str, raw: str) -> Q:
        field, attr = column.field, self.model.custom_fields_attr
        key = f"{attr}__{field.fieldname}"
        missing = ~Q(**{f"{attr}__has_key": field.fieldname})
        if op == "empty":
            return missing | Q(**{f"{key}__isnull": True}) | Q(**{key: ""})
        if op not in ("=", "!=", "in"):
            raise ValidationError(_("custom fields take =, !=, in or empty."))
        if field.field_type == FieldType.CHECKBOX:
            if op == "in":
                raise ValidationError(_("custom fields take =, !=, in or empty."))
            ticked = _yes_no(raw, column.header)
            condition = Q(**{key: True}) if ticked else Q(**{key: False}) | missing
            return ~condition if op == "!=" else condition
        values = [self._custom_value(column, part) for part in (_split(raw) if op == "in" else [raw])]
        if op == "in":
            return Q(**{f"{key}__in": values})
        return ~Q(**{key: values[0]}) | missing if op == "!=" else Q(**{key: values[0]})

    def _custom_value(self, column: Column, raw: str):
        if raw in EMPTY:
            raise ValidationError(_("give a value for “%(name)s”.") % {"name": column.header})
        try:
            return clean_value(column.field, raw)
        except ValidationError as exc:
            offered = f" ({', '.join(column.field.option_list)})" if column.field.field_type == FieldType.SELECT else ""
            raise ValidationError(f"“{column.header}”: {' '.join(exc.messages)}{offered}") from None


def _yes_no(raw: str, header: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "y", _("Yes").lower(), "是"):
        return True
    if raw.lower() in ("0", "false", "no", "n", _("No").lower(), "否"):
        return False
    raise ValidationError(_("“%(name)s” takes yes or no.") % {"name": header})


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]


def _labels(model, keys: set) -> dict:
    keys = {k for k in keys if k is not None}
    return {pk: str(obj) for pk, obj in model._default_manager.in_bulk(keys).items()} if keys else {}


def _batched(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
