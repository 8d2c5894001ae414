"""Rows as plain JSON data and back, every link named by the target's natural key, never its id.

A row becomes {field: value} over its model's concrete editable fields (`fields_of`), so fields
added later travel with no change here; a foreign key becomes the target's natural key, a
many-to-many field the sorted list of its targets' keys. A one-part key is written as its value
("市教委管理员"), a longer one as a list (["bj_enrollment", "application"]).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db import models

from apps.lowcode.configuration import exportable


class Unresolved(LookupError):
    """A natural key names no row on this site."""


def fields_of(model, *, parent=None, exclude=()) -> list[models.Field]:
    """What travels of a row: concrete editable fields and plain many-to-many fields, minus the
    primary key, generated columns, the entry's site-local fields and (for a child) the link to its
    parent."""
    found = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.primary_key or not field.editable or isinstance(field, models.GeneratedField):
            continue
        if field.name in exclude:
            continue
        if parent is not None and field is parent:
            continue
        if field.many_to_many and not field.remote_field.through._meta.auto_created:
            continue
        found.append(field)
    return found


def children_of(entry: exportable.Exportable):
    """(child spec, child model, the child's link to the parent) for each child relation."""
    for child in entry.children:
        relation = entry.model._meta.get_field(child.accessor)
        yield child, relation.related_model, relation.field


def _short(parts: list):
    return parts[0] if len(parts) == 1 else parts


def jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def natural_key(obj):
    entry = exportable.for_model(type(obj))
    if entry is not None:
        return _short([value_of(obj, obj._meta.get_field(name)) for name in entry.key])
    if hasattr(obj, "natural_key"):
        return _short(list(obj.natural_key()))
    raise TypeError(f"{obj._meta.label} has no natural key")


def _sorted_keys(keys) -> list:
    return sorted(keys, key=lambda k: json.dumps(k, ensure_ascii=False))


def value_of(obj, field: models.Field):
    if field.many_to_many:
        return _sorted_keys(natural_key(target) for target in getattr(obj, field.name).all())
    if field.is_relation:
        target = getattr(obj, field.name)
        return None if target is None else natural_key(target)
    return jsonable(field.value_from_object(obj))


def normalized(field: models.Field, value):
    """A file's value in the form `value_of` gives (so "3" and 3 compare equal); raises ValidationError."""
    if field.many_to_many:
        if not isinstance(value, list):
            raise TypeError("a list of names")
        return _sorted_keys(value)
    if field.is_relation:
        return value
    return jsonable(field.to_python(value))


def serialize(obj, entry: exportable.Exportable) -> dict:
    data = {field.name: value_of(obj, field) for field in fields_of(type(obj), exclude=entry.exclude)}
    for child, model, parent in children_of(entry):
        rows = getattr(obj, child.accessor).all()
        data[child.accessor] = [{f.name: value_of(row, f) for f in fields_of(model, parent=parent)} for row in rows]
    return data


def resolve(model, key):
    """The row of `model` a natural key names on this site."""
    parts = key if isinstance(key, list) else [key]
    entry = exportable.for_model(model)
    try:
        if entry is not None:
            if len(parts) != len(entry.key):
                raise Unresolved(key)
            lookup = {}
            for name, part in zip(entry.key, parts, strict=True):
                field = model._meta.get_field(name)
                lookup[name] = resolve(field.related_model, part) if field.is_relation else part
            return model._default_manager.get(**lookup)
        return model._default_manager.get_by_natural_key(*parts)
    except (ObjectDoesNotExist, MultipleObjectsReturned, TypeError, ValueError) as exc:
        raise Unresolved(key) from exc


def key_text(key) -> str:
    parts = key if isinstance(key, list) else [key]
    return " / ".join(key_text(p) if isinstance(p, list) else str(p) for p in parts)
