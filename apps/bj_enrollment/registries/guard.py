"""Every registry call passes here: a circuit breaker per registry and a total deadline per request.

Why: one slow or dead registry must not keep a family's request (and a web worker) waiting past the
web timeout. Inside `deadline()` (the portal's and the API's submission) all registry calls share
one budget, `request_deadline` seconds of the site's "registry" block (default 5); a call still
running when it is spent is abandoned to its thread and reported as RegistryUnavailable. Without a
deadline (background jobs) calls run directly, bounded by the adapter's own timeouts.

The breaker keeps its state in the cache (Redis in production, so the web processes and the workers
share it): after `breaker_failures` (default 5) unanswered calls within `breaker_window` seconds
(default 60) it opens for `breaker_open_seconds` (default 30) and every call fails at once; then one
trial call goes through, and its answer closes the breaker or opens it again. A definite answer
("no such record") is an answer: only RegistryUnavailable counts as a failure.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

from apps.bj_enrollment.registries.base import RecordNotFound, RegistryUnavailable

_deadline: ContextVar[float | None] = ContextVar("registry_deadline", default=None)
# Calls under a deadline run here; a call abandoned at its deadline keeps its thread until its own
# timeouts end it, and the breaker stops new calls from piling up behind it.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="registry")


def _config(key: str, default: float) -> float:
    return float(settings.REGISTRY_SETTINGS.get(key, default))


@contextmanager
def deadline(seconds: float | None = None):
    """Registry calls inside share `seconds` (default: the site's request_deadline)."""
    budget = _config("request_deadline", 5) if seconds is None else seconds
    token = _deadline.set(time.monotonic() + budget)
    try:
        yield
    finally:
        _deadline.reset(token)


class Breaker:
    """The circuit breaker of one registry endpoint (keyed by its name and address)."""

    def __init__(self, name: str, endpoint: str):
        self.name = name
        key = hashlib.sha256(f"{name}|{endpoint}".encode()).hexdigest()[:16]
        self._failures, self._open, self._trial = (f"registry-breaker:{key}:{part}" for part in ("n", "open", "trial"))
        self.threshold = int(_config("breaker_failures", 5))
        self.open_for = _config("breaker_open_seconds", 30)
        self.window = _config("breaker_window", 60)

    def allow(self) -> bool:
        """Closed: yes. Open: no. Half-open (open time over, failures still counted): one trial."""
        if cache.get(self._open):
            return False
        if (cache.get(self._failures) or 0) < self.threshold:
            return True
        return cache.add(self._trial, 1, timeout=self.open_for)

    def is_open(self) -> bool:
        return bool(cache.get(self._open))

    def succeeded(self) -> None:
        cache.delete_many([self._failures, self._open, self._trial])

    def failed(self) -> None:
        cache.add(self._failures, 0, timeout=self.window)
        try:
            failures = cache.incr(self._failures)
        except ValueError:  # expired between add and incr
            failures = 1
            cache.set(self._failures, failures, timeout=self.window)
        if failures >= self.threshold:
            cache.set(self._open, 1, timeout=self.open_for)
            cache.set(self._failures, failures, timeout=self.open_for + self.window)  # remembered for the trial
            cache.delete(self._trial)


def call(breaker: Breaker, lookup: Callable, *args):
    """Run one registry lookup under the breaker and the current deadline."""
    end = _deadline.get()
    if end is not None and end <= time.monotonic():
        raise RegistryUnavailable(f"{breaker.name} registry: the request's deadline has passed")
    if not breaker.allow():
        raise RegistryUnavailable(f"{breaker.name} registry: circuit open")
    try:
        if end is None:
            result = lookup(*args)
        else:
            future = _pool.submit(lookup, *args)
            try:
                result = future.result(timeout=end - time.monotonic())
            except FutureTimeout:
                raise RegistryUnavailable(f"{breaker.name} registry: no answer within the deadline") from None
    except RecordNotFound:
        breaker.succeeded()
        raise
    except RegistryUnavailable:
        breaker.failed()
        raise
    breaker.succeeded()
    return result


class Guarded:
    """An adapter whose lookups go through call(); same interface as the adapter it wraps."""

    def __init__(self, adapter, breaker: Breaker):
        self._adapter = adapter
        self.breaker = breaker

    def __getattr__(self, attr: str):
        lookup = getattr(self._adapter, attr)
        return lambda *args: call(self.breaker, lookup, *args)
