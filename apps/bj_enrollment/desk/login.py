"""Staff log-in to the desk: one form (the desk site's `login_form`) that every desk log-in passes.

It locks an account after repeated failures (wrong password or wrong authenticator code) and an
address after many, refusing even the right password until the window passes or a higher role
unlocks the account; the rates are `staff_login_failures` and `staff_login_per_ip` of
portal/limits.py. With the second factor on, the same form checks the authenticator code.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from unfold.forms import AuthenticationForm
from unfold.widgets import BASE_INPUT_CLASSES

from apps.bj_enrollment.desk import second_factor
from apps.bj_enrollment.portal import limits

TOKEN = re.compile(r"[0-9]{6}")


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


def is_locked(request, name: str) -> bool:
    account = _account_usage(request, name, increment=False)
    return account["count"] >= account["limit"]


def unlock(name: str) -> None:
    """Forget the account's failures (the address's stay): the next count starts at zero."""
    key = _unlock_key(name)
    cache.set(key, cache.get(key, 0) + 1, timeout=None)


class TokenField(forms.CharField):
    def __init__(self, **kwargs):
        attrs = {
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": "6",
            "class": " ".join(BASE_INPUT_CLASSES),
        }
        super().__init__(label=_("Authenticator code"), max_length=6, widget=forms.TextInput(attrs), **kwargs)


def check_token(user, device, token: str) -> None:
    """Six ASCII digits that the device accepts (django-otp refuses a code used before and throttles)."""
    token = (token or "").strip()
    if not TOKEN.fullmatch(token) or verify_token(user, device.persistent_id, token) is None:
        raise ValidationError(_("The authenticator code is wrong or has expired."), code="invalid_token")


class StaffLoginForm(AuthenticationForm):
    otp_token = TokenField(
        required=False,
        help_text=_("The 6-digit code of your authenticator app; leave empty if you have not set one up yet."),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        if not second_factor.required():
            del self.fields["otp_token"]

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        name = account_key(username)
        check_not_locked(self.request, name)
        try:
            super().clean()
            if "otp_token" in self.fields:
                self._check_second_factor(self.user_cache)
        except ValidationError:
            count_failure(self.request, name)
            raise
        return self.cleaned_data

    def _check_second_factor(self, user) -> None:
        device = second_factor.confirmed_device(user)
        if device is None:
            return  # the desk site takes the user to enrolment after the password
        check_token(user, device, self.cleaned_data.get("otp_token"))
        user.otp_device = device  # django-otp marks the session verified at log-in
