"""R12/R32/R33: one-time SMS codes, kept in the cache (Redis in production), never in the database.

A code is bound to a purpose and a mobile number, stored as a hash, valid for the campaign's
configured time, usable once, and dropped after a few wrong tries; a new one can be requested only
after the campaign's resend interval.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TRIES = 5
REGISTER, RESET_PASSWORD, CHANGE_PASSWORD, CANCEL = "register", "reset", "change", "cancel"


def _key(purpose: str, mobile: str) -> str:
    return f"portal:sms:{purpose}:{mobile}"


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def request_code(purpose: str, mobile: str, *, resend_seconds: int, ttl_seconds: int) -> str:
    """Issue a code, or raise ValidationError telling how long to wait. Returns the code for the sender."""
    now = time.time()
    if not cache.add(_key(purpose, mobile) + ":sent", now, timeout=resend_seconds):
        sent_at = cache.get(_key(purpose, mobile) + ":sent") or now
        wait = max(1, int(resend_seconds - (now - sent_at)))
        raise ValidationError(
            _("A code was sent recently; you can request a new one in %(seconds)d seconds."),
            code="sms_wait",
            params={"seconds": wait},
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    entry = {"digest": _digest(code), "tries": 0, "expires": now + ttl_seconds}
    cache.set(_key(purpose, mobile), entry, timeout=ttl_seconds)
    return code


def verify_code(purpose: str, mobile: str, code: str) -> None:
    """Consume a correct code; raise ValidationError (expired, wrong, too many tries) otherwise."""
    key = _key(purpose, mobile)
    entry = cache.get(key)
    if entry is None or entry["expires"] <= time.time():
        raise ValidationError(
            _("The SMS code has expired or was not requested for this mobile number; request a new one."),
            code="sms_expired",
        )
    if not hmac.compare_digest(entry["digest"], _digest((code or "").strip())):
        entry["tries"] += 1
        if entry["tries"] >= MAX_TRIES:
            cache.delete(key)
            raise ValidationError(_("Too many wrong SMS codes; request a new one."), code="sms_tries")
        cache.set(key, entry, timeout=max(1, int(entry["expires"] - time.time())))
        raise ValidationError(_("The SMS code is wrong."), code="sms_wrong")
    cache.delete(key)
