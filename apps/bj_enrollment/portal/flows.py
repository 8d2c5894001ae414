"""The parent's steps that involve the request (rate limits, SMS codes, log-in), shared by the portal
pages and the API. Each raises ValidationError (per field where it can) and changes nothing on refusal.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.bj_enrollment.models import Application
from apps.bj_enrollment.portal import limits, sms_codes
from apps.bj_enrollment.services import accounts, notifications
from apps.bj_enrollment.services.registration import Registration, check, register


def send_code(request, purpose: str, mobile: str, campaign) -> None:
    limits.hit(request, "sms_per_ip", limits.client_ip(request))
    limits.hit(request, "sms_per_mobile", mobile)
    code = sms_codes.request_code(
        purpose, mobile, resend_seconds=campaign.sms_resend_seconds, ttl_seconds=campaign.sms_code_ttl_seconds
    )
    notifications.send_code(mobile, code, campaign.sms_code_ttl_seconds)


def _verify(purpose: str, mobile: str, code: str) -> None:
    try:
        sms_codes.verify_code(purpose, mobile, code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.error_list}) from None


def submit_registration(request, campaign, data: dict) -> Application:
    """R8-R14. The rules are checked before the SMS code is used up, so a parent who corrects a field
    keeps the code they already have."""
    limits.hit(request, "register_per_ip", limits.client_ip(request))
    reg = Registration(
        campaign=campaign,
        district=data["district"],
        nationality=data["nationality"],
        hukou_province=data["hukou_province"],
        hukou_district=data.get("hukou_district"),
        residence_district=data.get("residence_district"),
        child_name=data["child_name"],
        gender=data["gender"],
        birth_date=data["birth_date"],
        id_type=data["id_type"],
        id_number=data["id_number"],
        guardian_name=data["guardian_name"],
        mobile=data["mobile"],
        password=data["password"],
    )
    errors = check(reg)
    if errors:
        raise ValidationError(errors)
    _verify(sms_codes.REGISTER, data["mobile"], data["sms_code"])
    application = register(reg)
    notifications.send_event(application, "registered")
    return application


def login_failures(request, username: str) -> int:
    return limits.usage(request, "login_failures", username, increment=False)["count"] if username else 0


def authenticate_parent(request, username: str, password: str):
    """A parent's account, or ValidationError: wrong credentials, locked account, or too many tries."""
    limits.hit(request, "login_per_ip", limits.client_ip(request))
    failures = limits.usage(request, "login_failures", username, increment=False)
    if failures["should_limit"]:
        raise limits.RateLimited(
            _(
                "This account is locked for a while after too many wrong passwords; try again in %(minutes)d "
                "minutes or reset the password."
            ),
            code="locked",
            params={"minutes": max(1, (failures["time_left"] + 59) // 60)},
        )
    user = authenticate(request, username=username, password=password)
    if user is None or user.is_staff or not Application.objects.filter(account=user).exists():
        limits.usage(request, "login_failures", username, increment=True)
        raise ValidationError(_("The account number or the password is wrong."), code="invalid_login")
    return user


def request_reset_code(request, identifier: str, mobile: str) -> Application:
    limits.hit(request, "sms_per_ip", limits.client_ip(request))
    application = accounts.find_for_reset(identifier, mobile)
    send_code(request, sms_codes.RESET_PASSWORD, application.mobile, application.campaign)
    return application


def reset_password(request, identifier: str, mobile: str, code: str, password: str, password2: str) -> None:
    """R31."""
    application = accounts.find_for_reset(identifier, mobile)
    accounts.check_new_password(password, password2, application.account)
    _verify(sms_codes.RESET_PASSWORD, application.mobile, code)
    accounts.set_password(application, password, password2)


def change_password(application: Application, code: str, password: str, password2: str) -> None:
    """R32."""
    accounts.check_new_password(password, password2, application.account)
    _verify(sms_codes.CHANGE_PASSWORD, application.mobile, code)
    accounts.set_password(application, password, password2)


def cancel_account(application: Application, user, code: str) -> None:
    """R33."""
    _verify(sms_codes.CANCEL, application.mobile, code)
    accounts.cancel(application, user)
