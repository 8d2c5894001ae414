"""The staff second factor (TOTP, django-otp): when it is required, whether a session has it, and the
enrolment page a staff user without a device reaches after the password."""

from __future__ import annotations

import re
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.widgets import BASE_INPUT_CLASSES

from apps.bj_enrollment.desk import lockout
from apps.bj_enrollment.services import staff_access

TOKEN = re.compile(r"[0-9]{6}")


def required() -> bool:
    return settings.STAFF_2FA


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def verified(request) -> bool:
    """Whether this session passed the second factor (django-otp's middleware sets `is_verified`)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def satisfied(request) -> bool:
    return not required() or verified(request)


def needs_enrolment(request) -> bool:
    """A staff user past the password who has no confirmed device yet: only they may add one."""
    user = request.user
    return (
        required()
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not verified(request)
        and confirmed_device(user) is None
    )


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


class EnrolForm(forms.Form):
    otp_token = TokenField(help_text=_("Enter the 6-digit code the app shows now."))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


@never_cache
@csrf_protect
def enrol_view(request):
    if not needs_enrolment(request):
        return redirect("admin:index" if satisfied(request) and request.user.is_authenticated else "admin:login")
    user = request.user
    device = staff_access.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = lockout.account_key(user.get_username())
        try:
            lockout.check_not_locked(request, name)
            try:
                check_token(user, device, form.cleaned_data["otp_token"])
            except ValidationError:
                lockout.count_failure(request, name)
                raise
        except ValidationError as exc:
            form.add_error("otp_token", exc)
        else:
            staff_access.confirm_device(user, device)
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    context = {
        **admin.site.each_context(request),
        "title": _("Set up two-step verification"),
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "secret": " ".join(b32encode(device.bin_key).decode()[i : i + 4] for i in range(0, 32, 4)),
        "next": _next_url(request),
    }
    return TemplateResponse(request, "desk/second_factor_enrol.html", context)
