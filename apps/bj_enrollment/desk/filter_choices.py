"""The choices of the desk's related filters (the districts, schools, campaigns, lottery runs in the
user's scope), kept by each process between requests until one of those rows changes anywhere (their
stamp, apps/lowcode/stamps.py): three of the reviewer's list's five queries (issue #17).

The scope rule stays where it is, in the one query that reads them (`restrict`): what is kept is that
query's answer for a scope (everything, a district, a school), keyed by the scope itself, never a
decision about a user. Any save or delete of a model some desk list filters by renews the stamp.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from apps.bj_enrollment.scope import restrict, scope_of
from apps.lowcode import stamps

STAMP = "desk-filter-choices"
_KEPT = stamps.Kept(STAMP)
_FILTERED: frozenset | None = None  # the models the desk's related filters offer


def choices(related, ordering, user) -> list[tuple]:
    """(pk, label) of the rows of `related` in the user's scope, in `ordering`."""

    def read():
        rows = restrict(related, user)
        if ordering:
            rows = rows.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in rows]

    key = (related.model._meta.label, tuple(ordering or ()), scope_of(user), translation.get_language())
    kept = _KEPT.get(key, read)
    return read() if kept is None else kept


def filtered_models() -> frozenset:
    """The related models of every ScopedRelatedFilter on the desk (read from its registered lists)."""
    global _FILTERED
    if _FILTERED is None:
        from django.contrib.admin.utils import get_fields_from_path

        from apps.bj_enrollment.desk.base import ScopedRelatedFilter

        found = set()
        for model, model_admin in admin.site._registry.items():
            for entry in model_admin.list_filter:
                kind = entry[1] if isinstance(entry, tuple) else None
                if isinstance(kind, type) and issubclass(kind, ScopedRelatedFilter):
                    found.add(get_fields_from_path(model, entry[0])[-1].related_model)
        if not found:
            return frozenset()  # the desk not registered yet (a migration): ask again next time
        _FILTERED = frozenset(found)
    return _FILTERED


def _changed(sender, **kwargs):
    if sender in filtered_models():
        stamps.renew(STAMP)


post_save.connect(_changed, dispatch_uid="desk-filter-choices-saved")
post_delete.connect(_changed, dispatch_uid="desk-filter-choices-deleted")
