"""R12/R32/R33: one-time SMS codes, kept in the cache (Redis in production), never in the database.

A code is bound to a purpose and a mobile number (and, for a password reset, to the account asked
for), stored as a hash, valid for the campaign's configured time, usable once, and dropped after a
few wrong tries; a new one can be requested only after the campaign's resend interval.

Spending a code is one unit of work with the save it allows (`spend`):
- Claim: a correct code is claimed with an atomic add-if-absent of a marker named after that issued
  code (Redis SET NX; the local cache adds under its lock). Of two requests racing with one code,
  exactly one gets the marker; read-compare-delete in separate steps let both through.
- Save: the caller's writes run in a transaction inside the claim.
- Settle: on commit the code's entry is dropped; if the transaction rolls back (a database error,
  a unique index losing a race) the marker is deleted and the family can use the same code again at
  once. A marker rather than GETDEL-and-restore: giving a deleted entry back could overwrite a newer
  code, while deleting our own marker touches nothing else. A process killed between claim and
  settle leaves the code spent until it expires (the family requests a new one), never used twice.
  Callers spend at the outermost level (requests are not wrapped in one transaction here), so the
  commit seen is the real one.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterator
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

MAX_TRIES = 5
REGISTER, RESET_PASSWORD, CHANGE_PASSWORD, CANCEL = "register", "reset", "change", "cancel"


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _key(purpose: str, mobile: str, bound_to: str = "") -> str:
    # the subject (an account or ID number) only as a keyed hash: no personal data in cache keys
    return f"portal:sms:{purpose}:{mobile}" + (f":{_digest(bound_to)[:24]}" if bound_to else "")


def request_code(purpose: str, mobile: str, *, resend_seconds: int, ttl_seconds: int, bound_to: str = "") -> str:
    """Issue a code, or raise ValidationError telling how long to wait. Returns the code for the sender."""
    key = _key(purpose, mobile, bound_to)
    now = time.time()
    if not cache.add(key + ":sent", now, timeout=resend_seconds):
        sent_at = cache.get(key + ":sent") or now
        wait = max(1, int(resend_seconds - (now - sent_at)))
        raise ValidationError(
            _("A code was sent recently; you can request a new one in %(seconds)d seconds."),
            code="sms_wait",
            params={"seconds": wait},
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    entry = {"digest": _digest(code), "issue": secrets.token_hex(8), "expires": now + ttl_seconds}
    cache.set(key, entry, timeout=ttl_seconds)
    return code


def _expired() -> ValidationError:
    return ValidationError(
        _("The SMS code has expired or was not requested for this mobile number; request a new one."),
        code="sms_expired",
    )


def check_code(purpose: str, mobile: str, code: str, *, bound_to: str = "") -> None:
    """Raise as spend() does for a wrong (counted), expired or used code; a correct one stays unspent."""
    _checked(_key(purpose, mobile, bound_to), code)


def spend(purpose: str, mobile: str, code: str, *, bound_to: str = "") -> contextlib.AbstractContextManager:
    """Claim a correct code for the caller's save, which runs in the returned context (see the module's
    docstring); raise ValidationError (expired, wrong, too many tries, already used) otherwise.

        with sms_codes.spend(REGISTER, mobile, code):
            register(...)
    """
    key = _key(purpose, mobile, bound_to)
    entry, left = _checked(key, code)
    marker = f"{key}:spent:{entry['issue']}"
    if not cache.add(marker, 1, timeout=left):
        raise _expired()  # used, or being used this instant by another request
    return _spending(key, entry["issue"], marker)


def _checked(key: str, code: str) -> tuple[dict, int]:
    """The code's entry and seconds left, if `code` is right and unspent."""
    entry = cache.get(key)
    left = int(entry["expires"] - time.time()) if entry else 0
    if entry is None or left <= 0 or cache.get(f"{key}:spent:{entry['issue']}"):
        raise _expired()
    if not hmac.compare_digest(entry["digest"], _digest((code or "").strip())):
        tries = f"{key}:tries:{entry['issue']}"
        cache.add(tries, 0, timeout=left)
        try:
            wrong = cache.incr(tries)  # atomic: parallel guesses cannot exceed the allowance
        except ValueError:  # the counter expired with the code this very second
            raise _expired() from None
        if wrong >= MAX_TRIES:
            cache.delete(key)
            raise ValidationError(_("Too many wrong SMS codes; request a new one."), code="sms_tries")
        raise ValidationError(_("The SMS code is wrong."), code="sms_wrong")
    return entry, left


@contextlib.contextmanager
def _spending(key: str, issue: str, marker: str) -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            transaction.on_commit(partial(_drop, key, issue))
    except BaseException:
        cache.delete(marker)  # nothing was saved: the code is the family's again
        raise


def _drop(key: str, issue: str) -> None:
    entry = cache.get(key)
    if entry and entry["issue"] == issue:  # not a newer code requested meanwhile
        cache.delete(key)
