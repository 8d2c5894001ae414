"""The active custom-field definitions of a DocType, read once and kept until one changes.

The details form of the portal builds one form per row (child, two guardians, property, the
application's own fields) and each asked the database for its DocType's definitions again: five
queries per page view or save (issue #17). Within one web request each (DocType, place) is read
once, and between requests a process keeps them until a definition changes anywhere (their stamp,
lowcode/stamps.py); outside requests (jobs, the shell, imports) every call reads again, and any
save or delete of a definition within the request forgets what was seen, so an administrator's
change applies from the next request on, as before. The definitions of every DocType come in one
query.
"""

from __future__ import annotations

import threading

from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

from apps.lowcode import stamps
from apps.lowcode.customfields.models import PLACES, CustomField

_REQUEST = threading.local()


def _request_started(**kwargs):
    _REQUEST.seen = {}


def _request_finished(**kwargs):
    _REQUEST.seen = None


def _forget_seen(sender, **kwargs):
    if getattr(_REQUEST, "seen", None):
        _REQUEST.seen = {}
    stamps.renew(STAMP)


STAMP = "custom-fields"
_KEPT = stamps.Kept(STAMP)  # between requests: every active definition (lowcode/stamps.py)


request_started.connect(_request_started, dispatch_uid="lowcode-customfields-definitions-started")
request_finished.connect(_request_finished, dispatch_uid="lowcode-customfields-definitions-finished")
post_save.connect(_forget_seen, sender=CustomField, dispatch_uid="lowcode-customfields-definitions-saved")
post_delete.connect(_forget_seen, sender=CustomField, dispatch_uid="lowcode-customfields-definitions-deleted")


def _all_active() -> tuple[CustomField, ...]:
    seen = getattr(_REQUEST, "seen", None)
    if seen is not None and "active" in seen:
        return seen["active"]
    rows = _KEPT.get("active", _read_active)
    if rows is None:
        rows = _read_active()
    if seen is not None:
        seen["active"] = rows
    return rows


def _read_active() -> tuple[CustomField, ...]:
    return tuple(CustomField.objects.filter(active=True))


def active_fields(model, where: str) -> list[CustomField]:
    """Active fields of a DocType shown in `where`, whatever their scope (a new list each call).
    Within a request every DocType's definitions come from one query (a site has tens of them)."""
    if where not in PLACES:
        raise ValueError(f"unknown place {where!r}; one of {sorted(PLACES)}")
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    if getattr(_REQUEST, "seen", None) is None:
        return list(CustomField.objects.filter(document_type=content_type, active=True, **{PLACES[where]: True}))
    place = PLACES[where]
    return [f for f in _all_active() if f.document_type_id == content_type.pk and getattr(f, place)]
