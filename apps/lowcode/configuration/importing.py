"""Apply a configuration file: all of it in one transaction, or nothing.

Each added or changed row is written through its model's own `full_clean` (the checks the desk
form runs) plus the entry's hooks (a workflow: the desk's workflow validation); any problem rolls
the whole import back and is reported naming the row. A dry run is the same import, always rolled
back, so its problems are exactly those the real one would meet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_module
from django.utils.translation import gettext as _

from apps.lowcode.configuration import preview as previews
from apps.lowcode.configuration.models import ConfigurationImport
from apps.lowcode.configuration.serialization import Unresolved, children_of, key_text, resolve, value_of


@dataclass
class Outcome:
    preview: previews.Preview
    applied: bool

    @property
    def problems(self) -> list[str]:
        return self.preview.problems


def parse(raw: bytes | str) -> dict | None:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return document if isinstance(document, dict) else None


def run(
    document, *, dry_run: bool, expected_digest: str | None = None, user=None, file_name: str = ""
) -> Outcome:
    """Preview, then write every added or changed row; commit only when nothing was refused, the
    run is not a dry run, and (from the desk) the changes are the ones the administrator confirmed.
    With a `user` (the desk), each model changed needs that user's add and change permissions."""
    preview = previews.read(document)
    if user is not None:
        preview.problems += _forbidden(preview, user)
    if preview.problems:
        return Outcome(preview, applied=False)
    if expected_digest is not None and expected_digest != preview.digest:
        preview.problems.append(_("The site changed since the preview was made: check the new preview."))
        return Outcome(preview, applied=False)
    with transaction.atomic():
        for change in preview.changes:
            if change.status != previews.UNCHANGED:
                preview.problems += [f"{change.title} {change.name}: {p}" for p in _write(change, user)]
        unchanged = preview.of(previews.UNCHANGED)
        for change in unchanged if len(unchanged) < len(preview.changes) else []:
            if change.entry.revalidate:  # e.g. a template whose workflow action the file renamed
                preview.problems += [f"{change.title} {change.name}: {p}" for p in _still_valid(change.existing)]
        if preview.problems or dry_run:
            transaction.set_rollback(True)
        else:
            _record(preview, user, file_name)
    return Outcome(preview, applied=not (preview.problems or dry_run))


def _forbidden(preview: previews.Preview, user) -> list[str]:
    found = []
    for entry in dict.fromkeys(c.entry for c in preview.changes if c.status != previews.UNCHANGED):
        needed = [(entry.model, "add"), (entry.model, "change")] + [
            (model, action) for _child, model, _parent in children_of(entry) for action in ("add", "change", "delete")
        ]
        needed = [f"{m._meta.app_label}.{action}_{m._meta.model_name}" for m, action in needed]
        if not all(user.has_perm(codename) for codename in needed):
            found.append(_("You may not change %(models)s.") % {"models": entry.model._meta.verbose_name_plural})
    return found


def _record(preview: previews.Preview, user, file_name: str) -> None:
    ConfigurationImport.objects.create(
        imported_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:200],
        digest=preview.digest,
        added=len(preview.of(previews.ADDED)),
        changed=len(preview.of(previews.CHANGED)),
        unchanged=len(preview.of(previews.UNCHANGED)),
        changes=[
            {
                "model": c.label,
                "name": c.name,
                "status": c.status,
                "differences": [[d.field, d.old_text, d.new_text] for d in c.differences],
            }
            for c in preview.changes
            if c.status != previews.UNCHANGED
        ],
    )


def _messages(error: ValidationError, model=None) -> list[str]:
    """The model's messages, each after the label of the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for name, messages in error.message_dict.items():
        label = name
        if model is not None and name != "__all__":
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                pass
        found += [message if name == "__all__" else f"{label}: {message}" for message in messages]
    return found


def _assign(obj, record: dict, skip=()) -> tuple[dict, list[str]]:
    """Set the row's fields from the file; many-to-many values are returned to set after saving."""
    later, problems = {}, []
    for name, value in record.items():
        if name in skip:
            continue
        field = obj._meta.get_field(name)
        try:
            if field.many_to_many:
                later[field] = [resolve(field.related_model, key) for key in value]
            elif field.is_relation:
                setattr(obj, field.name, None if value is None else resolve(field.related_model, value))
            else:
                setattr(obj, field.attname, field.to_python(value))
        except Unresolved as exc:
            problems.append(
                _("%(field)s names %(target)s “%(key)s”, which does not exist on this site or in the file.")
                % {"field": name, "target": field.related_model._meta.verbose_name, "key": key_text(exc.args[0])}
            )
    return later, problems


def _save(obj, record: dict, skip=()) -> list[str]:
    later, problems = _assign(obj, record, skip)
    if problems:
        return problems
    try:
        # Like a desk form: fields that do not travel (generated columns, the parent link) are not
        # validated here; the model's own clean() guards what they derive from.
        obj.full_clean(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in record])
        with transaction.atomic():  # a database refusal must not poison the import's transaction
            obj.save()
    except ValidationError as exc:
        return _messages(exc, type(obj))
    except IntegrityError as exc:
        return [str(exc)]
    for field, targets in later.items():
        getattr(obj, field.name).set(targets)
    return []


def _still_valid(obj) -> list[str]:
    try:
        obj.full_clean()
    except ValidationError as exc:
        return _messages(exc, type(obj))
    return []


def _write(change: previews.Change, user) -> list[str]:
    entry = change.entry
    hooks = import_module(entry.hooks) if entry.hooks else None
    obj = change.existing if change.existing is not None else entry.model()
    problems = hooks.before_write(obj, change.record, user) if hooks else []
    if problems:
        return problems
    with transaction.atomic():  # a savepoint: a refused row leaves nothing half-written behind it
        problems = _save(obj, change.record, skip={c.accessor for c in entry.children})
        for child, model, parent in children_of(entry):
            if problems or child.accessor not in change.record:
                continue
            problems += _write_children(obj, child, model, parent, change.record[child.accessor])
        if not problems and hooks:
            problems = hooks.after_write(obj, change.record, user)
        if problems:
            transaction.set_rollback(True)
    return problems


def _write_children(obj, child, model, parent, rows: list[dict]) -> list[str]:
    """The parent's rows of this relation become exactly the file's: matched by key, updated in
    place (their ids stay), the missing ones deleted first, new ones added in file order."""
    def key_of(values):
        return tuple(json.dumps(values.get(name), ensure_ascii=False) for name in child.key)

    existing = {
        key_of({n: value_of(row, model._meta.get_field(n)) for n in child.key}): row
        for row in getattr(obj, child.accessor).all()
    }
    wanted = {key_of(row) for row in rows}
    model._default_manager.filter(pk__in=[row.pk for key, row in existing.items() if key not in wanted]).delete()
    problems = []
    for values in rows:
        row = existing.get(key_of(values)) or model(**{parent.name: obj})
        where = f"{child.accessor}[{key_text([values.get(n) for n in child.key])}]"
        problems += [f"{where}: {p}" for p in _save(row, values)]
    return problems
