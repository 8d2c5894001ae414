"""The parent's steps that involve the request (rate limits, SMS codes, log-in), shared by the portal
pages and the API. Each raises ValidationError (per field where it can) and changes nothing on refusal.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.models import Application, Campaign
from apps.bj_enrollment.portal import limits, sms_codes
from apps.bj_enrollment.services import accounts, notifications
from apps.bj_enrollment.services.registration import Registration, check, register


def send_code(request, purpose: str, mobile: str, campaign, *, bound_to: str = "", deliver: bool = True) -> None:
    """Count, issue and send a code; `deliver=False` does all but the sending (see request_reset_code)."""
    limits.hit(request, "sms_per_ip", limits.client_ip(request))
    limits.hit(request, "sms_per_mobile", mobile)
    code = sms_codes.request_code(
        purpose,
        mobile,
        resend_seconds=campaign.sms_resend_seconds,
        ttl_seconds=campaign.sms_code_ttl_seconds,
        bound_to=bound_to,
    )
    if deliver:
        notifications.send_code(mobile, code, campaign.sms_code_ttl_seconds)


def _check_code(purpose: str, mobile: str, code: str) -> None:
    """Whether a child's ID is registered is told only to a parent holding a code sent to their mobile
    (after an image code): a bare form cannot ask it of ID after ID."""
    try:
        sms_codes.check_code(purpose, mobile, code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.error_list}) from None


def _spend(purpose: str, mobile: str, code: str, bound_to: str = ""):
    """The code's unit of work (sms_codes.spend), its refusals reported on the form's sms_code field."""
    try:
        return sms_codes.spend(purpose, mobile, code, bound_to=bound_to)
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
        if any(e.code == error_codes.ID_REGISTERED.code for e in errors.get("id_number", [])):
            _check_code(sms_codes.REGISTER, data["mobile"], data["sms_code"])  # no probing IDs without a code
        raise ValidationError(errors)
    with _spend(sms_codes.REGISTER, data["mobile"], data["sms_code"]):
        return register(reg)


def login_failures(request, username: str) -> int:
    username = limits.account_name(username)
    return limits.usage(request, "login_failures", username, increment=False)["count"] if username else 0


def authenticate_parent(request, username: str, password: str):
    """A parent's account, or ValidationError: wrong credentials, locked account, or too many tries."""
    username = limits.account_name(username)
    limits.hit(request, "login_per_ip", limits.client_ip(request))
    failures = limits.usage(request, "login_failures", username, increment=False)
    if failures["should_limit"]:
        raise limits.RateLimited(
            error_codes.LOCKED.message,
            code=error_codes.LOCKED.code,
            params={"minutes": max(1, (failures["time_left"] + 59) // 60)},
        )
    user = authenticate(request, username=username, password=password)
    if user is None or user.is_staff or not Application.objects.filter(account=user).exists():
        limits.usage(request, "login_failures", username, increment=True)
        if user is None and _cancelled_account(username, password):
            raise error_codes.ACCOUNT_CANCELLED.error()  # only to whoever knows its password (R33)
        raise error_codes.INVALID_LOGIN.error()
    return user


def _cancelled_account(username: str, password: str) -> bool:
    account = get_user_model().objects.filter(username=username, is_active=False, is_staff=False).first()
    return account is not None and account.check_password(password)


def _reset_subject(application: Application | None, identifier: str) -> str:
    """What a reset code is bound to besides the mobile: the account when the pair matches, else the
    number typed. A non-matching request then has its own (never sent) code, and cannot replace
    the family's."""
    return application.form_number if application else identifier


def request_reset_code(request, identifier: str, mobile: str) -> None:
    """R31, step 1. The same answer whether or not the number belongs to the mobile, so the form does
    not tell strangers which numbers exist: the same limits, resend interval and stored code either
    way; only a match sends the SMS."""
    application = accounts.find_for_reset(identifier, mobile)
    campaign = application.campaign if application else Campaign.current() or Campaign()
    send_code(
        request,
        sms_codes.RESET_PASSWORD,
        mobile,
        campaign,
        bound_to=_reset_subject(application, identifier),
        deliver=application is not None,
    )


def reset_password(request, identifier: str, mobile: str, code: str, password: str, password2: str) -> None:
    """R31, step 2: answered alike for a match and a mismatch (the password checked first, for anyone;
    then the code, which a mismatch was never sent)."""
    accounts.check_new_password(password, password2)
    application = accounts.find_for_reset(identifier, mobile)
    with _spend(sms_codes.RESET_PASSWORD, mobile, code, _reset_subject(application, identifier)):
        if application is None:  # someone guessed the unsent code: still the answer to a wrong one
            raise ValidationError({"sms_code": [error_codes.SMS_WRONG.error()]})
        accounts.set_password(application, password, password2)


def change_password(application: Application, code: str, password: str, password2: str) -> None:
    """R32."""
    accounts.check_new_password(password, password2, application.account)
    with _spend(sms_codes.CHANGE_PASSWORD, application.mobile, code):
        accounts.set_password(application, password, password2)


def cancel_account(application: Application, user, code: str) -> None:
    """R33."""
    with _spend(sms_codes.CANCEL, application.mobile, code):
        accounts.cancel(application, user)


