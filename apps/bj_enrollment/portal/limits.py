"""Rate limits of the public pages and the API (django-ratelimit counters on the Redis cache).

Rates are configuration (`PORTAL_RATE_LIMITS`, overridable per site); a limit hit is a
ValidationError with a Chinese message, so pages and the API report it like any other error.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django_ratelimit.core import get_usage

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.rules.identity import normalise_id_number

DEFAULTS = {
    "sms_per_ip": "20/h",
    "sms_per_mobile": "6/h",
    "register_per_ip": "30/h",
    "login_per_ip": "120/h",
    # failed logins per account number before a temporary lockout (a captcha comes earlier,
    # after LOGIN_CAPTCHA_AFTER failures)
    "login_failures": "10/15m",
    "api_per_ip": "600/h",
    # staff log-in to the desk (desk/lockout.py): failed attempts per account, then per address,
    # before even the right password is refused until the window passes
    "staff_login_failures": "5/15m",
    "staff_login_per_ip": "30/15m",
    # the public lottery look-up (disclosure/lottery.py): per address, and wrong codes per form number
    "lottery_lookup_per_ip": "60/h",
    "lottery_lookup_failures": "5/h",
}

LOGIN_CAPTCHA_AFTER = 2


def rate(name: str) -> str:
    return {**DEFAULTS, **getattr(settings, "PORTAL_RATE_LIMITS", {})}[name]


class RateLimited(ValidationError):
    pass


def usage(request, name: str, value: str, *, increment: bool) -> dict:
    return get_usage(request, group=f"portal.{name}", key=lambda _g, _r: value, rate=rate(name), increment=increment)


def hit(request, name: str, value: str) -> None:
    """Count one use; refuse it when the limit is already reached."""
    info = usage(request, name, value, increment=True)
    if info and info["should_limit"]:
        raise RateLimited(
            error_codes.RATE_LIMITED.message,
            code=error_codes.RATE_LIMITED.code,
            params={"minutes": max(1, (info["time_left"] + 59) // 60)},
        )


def account_name(username: str) -> str:
    """The account number as log-in failures are counted and checked: the forms' normal form, so " 12345678"
    or full-width digits count against 12345678 and cannot start a fresh count that skips the captcha."""
    return normalise_id_number(username)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
