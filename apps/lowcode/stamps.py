"""Stamps in the shared cache that tell every process when something it keeps between requests has
changed: all read together once a request (one round trip), renewed by whatever changes the rows.

The workflow and custom-field definitions were looked up with a query on every request so that an
administrator's change applied everywhere at once (2 of the reviewer's list's 7 queries, issue #17).
A process now keeps what it read with the stamp it read it under, the stamp read before the rows, and
reads again when the stamp has moved (`Kept`), or after MAX_AGE in case a write went past the
signals that renew stamps. Without a shared cache (the embedded default's per-process memory cannot
tell other processes) there are no stamps and callers read on every request as before.
"""

from __future__ import annotations

import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction

_NAMES: set[str] = set()
_REQUEST = threading.local()  # .stamps: this request's {name: stamp}; None outside requests


def register(name: str) -> None:
    """Declares a stamp, so that a request fetches it with the others in its one round trip."""
    _NAMES.add(name)


def _key(name: str) -> str:
    return f"stamp:{name}"


def _started(**kwargs):
    _REQUEST.stamps = {}


def _finished(**kwargs):
    _REQUEST.stamps = None


request_started.connect(_started, dispatch_uid="lowcode-stamps-started")
request_finished.connect(_finished, dispatch_uid="lowcode-stamps-finished")


def current(name: str) -> str | None:
    """The stamp of `name` (None without a shared cache), the same for the whole request."""
    if not settings.REDIS_URL:
        return None
    seen = getattr(_REQUEST, "stamps", None)
    if seen and name in seen:
        return seen[name]
    names = sorted(_NAMES | {name})
    found = cache.get_many([_key(n) for n in names])
    stamps = {}
    for n in names:
        stamp = found.get(_key(n))
        if stamp is None:
            cache.add(_key(n), uuid.uuid4().hex, timeout=None)
            stamp = cache.get(_key(n))
        stamps[n] = stamp
    if seen is not None:
        seen.update(stamps)
    return stamps[name]


def renew(name: str) -> None:
    """What `name` covers has changed: a new stamp now (this request, this transaction's tests) and
    again at commit (processes that read the old rows meanwhile)."""
    if not settings.REDIS_URL:
        return

    def new():
        stamp = uuid.uuid4().hex
        cache.set(_key(name), stamp, timeout=None)
        if getattr(_REQUEST, "stamps", None) is not None:
            _REQUEST.stamps[name] = stamp

    new()
    transaction.on_commit(new)


_KEPT: list[Kept] = []


def forget() -> None:
    """This process forgets every kept value (the test suite, when it replaces the database)."""
    for kept in _KEPT:
        kept.forget()


MAX_AGE = 60  # seconds a process keeps a value at most: a write past the signals (a bare update) is seen then


class Kept:
    """Values a process keeps between requests under one stamp (never values read inside a
    transaction: it may see its own change, and a rollback renews no stamp)."""

    def __init__(self, name: str):
        register(name)
        self.name = name
        self.forget()
        _KEPT.append(self)

    def forget(self) -> None:
        self._held: tuple[str | None, float, dict] = (None, 0.0, {})

    def get(self, key, read):
        """`read()`'s value for `key`, read again once the stamp moved; None without a shared cache
        or inside a transaction (the caller reads as it would without keeping)."""
        if connection.in_atomic_block:  # it may read its own uncommitted change, which a rollback undoes
            return None
        stamp = current(self.name)  # before the rows: a change meanwhile gives a newer stamp
        if stamp is None:
            return None
        held_stamp, since, values = self._held
        if held_stamp != stamp or time.monotonic() - since > MAX_AGE:
            values = {}
            self._held = (stamp, time.monotonic(), values)
        if key not in values:
            values[key] = read()
        return values[key]
