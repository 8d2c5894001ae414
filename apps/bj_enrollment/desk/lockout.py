"""Staff log-in lock-out: failures per account and per address (django-ratelimit counters on the
cache, rates `staff_login_failures` and `staff_login_per_ip` of portal/limits.py). Once a count is
reached even the right password is refused until the window passes or a higher role unlocks the
account. Failures are a wrong password and a wrong authenticator code, at log-in and at enrolment."""

from __future__ import annotations

import unicodedata

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.portal import limits


def account_key(username: str) -> str:
    """The account as failures are counted: stripped, NFKC (as Django's user model normalises a name)
    and case-folded, since MariaDB's collation finds "Admin" and "admin" as the same account."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _unlock_key(name: str) -> str:
    return f"staff-login-unlocked:{name}"


def _account_usage(request, name: str, *, increment: bool) -> dict:
    # Failures are counted under the account's unlock generation, so an unlock starts a fresh count.
    value = f"{name}#{cache.get(_unlock_key(name), 0)}"
    return limits.usage(request, "staff_login_failures", value, increment=increment)


def _address_usage(request, *, increment: bool) -> dict:
    return limits.usage(request, "staff_login_per_ip", limits.client_ip(request), increment=increment)


def _minutes(info: dict) -> int:
    return max(1, (info["time_left"] + 59) // 60)


def check_not_locked(request, name: str) -> None:
    """Refuse before the password is even checked when the address or the account is locked."""
    address = _address_usage(request, increment=False)
    if address["count"] >= address["limit"]:
        raise limits.RateLimited(
            _("Too many failed log-ins from this address; please try again in %(minutes)d minutes."),
            code="address_locked",
            params={"minutes": _minutes(address)},
        )
    account = _account_usage(request, name, increment=False)
    if account["count"] >= account["limit"]:
        raise limits.RateLimited(
            _(
                "This account is locked after too many failed log-ins; please try again in %(minutes)d minutes "
                "or ask a higher administrator to unlock it."
            ),
            code="account_locked",
            params={"minutes": _minutes(account)},
        )


def count_failure(request, name: str) -> None:
    _account_usage(request, name, increment=True)
    _address_usage(request, increment=True)


def unlock(name: str) -> None:
    """Forget the account's failures (the address's stay): the next count starts at zero."""
    key = _unlock_key(name)
    cache.set(key, cache.get(key, 0) + 1, timeout=None)
