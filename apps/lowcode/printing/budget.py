"""The time a print may take: a watchdog thread stops the rendering thread at the deadline.

Jinja2 and WeasyPrint run Python between short C calls, so an exception raised asynchronously in
the rendering thread stops it wherever it is: in a web worker, in an RQ job (whose own SIGALRM
timeout is left alone and never fires first) or in a test, without a second process.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

RETRY_SECONDS = 0.05  # a C callback (Pango's, through cffi) may swallow one exception: raise again
_running = threading.local()


class OverBudget(BaseException):  # noqa: N818 - raised into a thread, never caught by callers
    """A BaseException, so no `except Exception` in a template's filters or in WeasyPrint keeps it."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Sets (or, with None, clears) the exception the thread raises at its next bytecode check."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


def within(seconds: float, work: Callable[[], T]) -> T:
    """`work()`, or OverBudget once it has run `seconds`; nested calls share the outermost deadline."""
    if getattr(_running, "active", False):
        return work()
    thread_id, lock, done = threading.get_ident(), threading.Lock(), threading.Event()

    def watch():
        waited = done.wait(seconds)
        while not waited:
            with lock:
                if done.is_set():
                    return
                _raise_in(thread_id, OverBudget)
            waited = done.wait(RETRY_SECONDS)

    watcher = threading.Thread(target=watch, name="print-deadline", daemon=True)
    _running.active = True
    watcher.start()
    try:
        return work()
    finally:
        _running.active = False
        while True:  # an exception raised just before the watcher stood down may land here: stand it down again
            try:
                with lock:
                    done.set()
                _raise_in(thread_id, None)
                break
            except OverBudget:
                continue
