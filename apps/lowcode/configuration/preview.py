"""What an import would change, worked out before anything is written: each row of the file is
added, changed (with its field-level differences, a workflow's states and transitions included) or
unchanged. Rows the file does not mention are left alone; fields a row does not mention keep their
value, so a file from an older release still imports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from apps.lowcode.configuration import exportable
from apps.lowcode.configuration.serialization import (
    Unresolved,
    children_of,
    fields_of,
    key_text,
    normalized,
    resolve,
    serialize,
)

FORMAT = "lowcode-configuration"
ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


@dataclass(frozen=True)
class Difference:
    field: str  # "to_state", or "transitions[submitted / Approve].to_state" inside a workflow
    old: object
    new: object

    @staticmethod
    def shown(value) -> str:
        return "—" if value is None else json.dumps(value, ensure_ascii=False)

    @property
    def old_text(self) -> str:
        return self.shown(self.old)

    @property
    def new_text(self) -> str:
        return self.shown(self.new)


@dataclass
class Change:
    entry: exportable.Exportable
    key: object  # the row's natural key, as in the file
    record: dict  # the file's row, normalised
    status: str = ADDED
    differences: list[Difference] = field(default_factory=list)
    existing: object = None

    @property
    def label(self) -> str:
        return self.entry.model._meta.label_lower

    @property
    def title(self) -> str:
        return str(self.entry.model._meta.verbose_name)

    @property
    def name(self) -> str:
        return key_text(self.key)


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def of(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    @property
    def digest(self) -> str:
        """Names this exact set of changes: the import applies only what the administrator saw."""
        seen = [
            [c.label, c.key, c.status, [[d.field, d.old, d.new] for d in c.differences]] for c in self.changes
        ]
        return hashlib.sha256(json.dumps(seen, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _normalize(model, row: dict, *, parent=None, skip=(), exclude=(), where: str) -> tuple[dict, list[str]]:
    travelling = {f.name: f for f in fields_of(model, parent=parent, exclude=exclude)}
    clean, problems = {}, []
    for name, value in row.items():
        if name in skip:
            continue
        if name not in travelling:
            try:
                model._meta.get_field(name)
                known = True
            except FieldDoesNotExist:
                known = False
            problems.append(
                _("%(where)s: field %(field)s is not set by an import.") % {"where": where, "field": name}
                if known
                else _("%(where)s: %(model)s has no field %(field)s on this site.")
                % {"where": where, "model": model._meta.verbose_name, "field": name}
            )
            continue
        try:
            clean[name] = normalized(travelling[name], value)
        except (ValidationError, TypeError, ValueError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            problems.append(
                _("%(where)s: %(field)s: %(problem)s") % {"where": where, "field": name, "problem": message}
            )
    return clean, problems


def _child_key(child, row: dict):
    parts = [row.get(name) for name in child.key]
    return parts[0] if len(parts) == 1 else parts


def _compare(change: Change, current: dict) -> None:
    for name, new in change.record.items():
        if name in {c.accessor for c in change.entry.children}:
            continue
        if current.get(name) != new:
            change.differences.append(Difference(name, current.get(name), new))
    for child, _model, _parent in children_of(change.entry):
        if child.accessor not in change.record:
            continue
        old_rows = {json.dumps(_child_key(child, r), ensure_ascii=False): r for r in current.get(child.accessor, [])}
        for row in change.record[child.accessor]:
            key = _child_key(child, row)
            where = f"{child.accessor}[{key_text(key)}]"
            old = old_rows.pop(json.dumps(key, ensure_ascii=False), None)
            if old is None:
                change.differences.append(Difference(where, None, row))
                continue
            for name, new in row.items():
                if old.get(name) != new:
                    change.differences.append(Difference(f"{where}.{name}", old.get(name), new))
        for old in old_rows.values():
            change.differences.append(Difference(f"{child.accessor}[{key_text(_child_key(child, old))}]", old, None))


def read(document) -> Preview:
    """The preview of importing `document` (the parsed JSON of an export) into this site."""
    preview = Preview()
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(
        document.get("models"), list
    ):
        preview.problems.append(_("This is not a configuration file exported by this platform."))
        return preview
    for block in document["models"]:
        label = block.get("model") if isinstance(block, dict) else None
        entry = exportable.by_label(label) if isinstance(label, str) else None
        if entry is None or not isinstance(block.get("records"), list):
            preview.problems.append(_("%(model)s cannot be imported on this site.") % {"model": label})
            continue
        for index, row in enumerate(block["records"], start=1):
            _read_row(preview, entry, row, index)
    return preview


def _read_row(preview: Preview, entry: exportable.Exportable, row, index: int) -> None:
    title = entry.model._meta.verbose_name
    if not isinstance(row, dict) or any(name not in row for name in entry.key):
        preview.problems.append(
            _("%(model)s %(index)d: the row lacks its name (%(fields)s).")
            % {"model": title, "index": index, "fields": ", ".join(entry.key)}
        )
        return
    key = [row[name] for name in entry.key]
    key = key[0] if len(key) == 1 else key
    where = f"{title} {key_text(key)}"
    accessors = {c.accessor for c in entry.children}
    record, problems = _normalize(entry.model, row, skip=accessors, exclude=entry.exclude, where=where)
    for child, model, parent in children_of(entry):
        if child.accessor not in row:
            continue
        rows = row[child.accessor]
        if not isinstance(rows, list):
            problems.append(_("%(where)s: %(field)s must be a list.") % {"where": where, "field": child.accessor})
            continue
        record[child.accessor] = []
        for child_row in rows:
            if not isinstance(child_row, dict) or any(name not in child_row for name in child.key):
                problems.append(_("%(where)s: a row of %(field)s lacks its name.") % {
                    "where": where, "field": child.accessor})
                continue
            name = key_text(_child_key(child, child_row))
            clean, found = _normalize(model, child_row, parent=parent, where=f"{where} {child.accessor}[{name}]")
            record[child.accessor].append(clean)
            problems += found
    if problems:
        preview.problems += problems
        return
    change = Change(entry=entry, key=key, record=record)
    try:
        change.existing = resolve(entry.model, key)
    except Unresolved:
        change.existing = None
    if change.existing is not None:
        _compare(change, serialize(change.existing, entry))
        change.status = CHANGED if change.differences else UNCHANGED
    preview.changes.append(change)
