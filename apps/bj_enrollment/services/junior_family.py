"""The family's side of a junior-high student (小升初, R37/R38), shared by the portal's pages and the API.

Families have no account: they name the student by education ID and name (the portal's lock-out and
rate limits apply, counted per education ID), and anything that changes data costs an SMS code sent to
the mobile on file. Confirming ("signing") and reporting a correction are the Student workflow's own
actions, taken as the family (system=True, no document user) after these checks. Each function raises
ValidationError (per field where it can) and changes nothing when it refuses.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment import error_codes
from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import Level, Stage, StudentState
from apps.bj_enrollment.models import Student
from apps.bj_enrollment.portal import limits, sms_codes
from apps.bj_enrollment.portal.flows import send_code
from apps.bj_enrollment.rules.form_numbers import new_form_number, new_verification_code
from apps.bj_enrollment.rules.identity import normalise_id_number
from apps.lowcode.workflow import engine

# SMS-code purposes (portal/sms_codes.py binds each code to a purpose, the mobile and the student)
LOGIN, CONFIRM, CORRECT = "junior_login", "junior_confirm", "junior_correct"
PURPOSES = (CONFIRM, CORRECT)

# What the family may say is wrong (the items the registry data page shows), as the family reads them
CORRECTABLE = {
    "name": _("Student's name"),
    "gender": _("Gender"),
    "birth_date": _("Birth date"),
    "id_type": _("ID type"),
    "id_number": _("ID number"),
    "hukou_address": _("Hukou address"),
    "graduating_class": _("Graduating class"),
    "mobile": _("Mobile on file"),
    "guardians": _("Guardian"),
}


def field_label(name: str) -> str:
    return str(CORRECTABLE[name])


def _failure_key(education_id: str) -> str:
    # counted apart from the primary parents' account numbers, which share the limit's group
    return f"junior:{education_id}"


def login_failures(request, education_id: str) -> int:
    education_id = normalise_id_number(education_id)
    if not education_id:
        return 0
    return limits.usage(request, "login_failures", _failure_key(education_id), increment=False)["count"]


def find_student(request, education_id: str, name: str) -> Student:
    """The student of the open junior campaign with this education ID and name, or ValidationError.
    An unknown ID and a wrong name get the same answer, so the form cannot tell which IDs exist."""
    education_id = normalise_id_number(education_id)
    limits.hit(request, "login_per_ip", limits.client_ip(request))
    failures = limits.usage(request, "login_failures", _failure_key(education_id), increment=False)
    if failures["should_limit"]:
        raise limits.RateLimited(
            error_codes.JUNIOR_LOCKED.message,
            code=error_codes.JUNIOR_LOCKED.code,
            params={"minutes": max(1, (failures["time_left"] + 59) // 60)},
        )
    student = (
        Student.objects.select_related("campaign", "graduating_school", "district", "school", "hukou_district")
        .filter(education_id=education_id, campaign__level=Level.JUNIOR, campaign__active=True)
        .exclude(state=StudentState.WITHDRAWN)
        .order_by("-campaign__year")
        .first()
    )
    if student is None or "".join(student.name.split()) != "".join((name or "").split()):
        limits.usage(request, "login_failures", _failure_key(education_id), increment=True)
        raise error_codes.JUNIOR_INVALID_LOGIN.error()
    return student


def send_student_code(request, student: Student, purpose: str) -> None:
    """A code for `purpose` to the mobile on file (never a number the requester types); a code to
    confirm or report only while the data waits for the family."""
    if purpose in PURPOSES:
        _check_awaiting(student)
    if not student.mobile:
        raise error_codes.JUNIOR_NO_MOBILE.error()
    send_code(request, purpose, student.mobile, student.campaign, bound_to=str(student.pk))


def spend_code(student: Student, purpose: str, code: str):
    """The code's unit of work (sms_codes.spend), its refusals reported on the sms_code field."""
    try:
        return sms_codes.spend(purpose, student.mobile, code, bound_to=str(student.pk))
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.error_list}) from None


def _check_window(student: Student) -> None:
    """The campaign's graduate-data confirmation stage, where one is scheduled (R1-style windows)."""
    window = student.campaign.window(Stage.GRADUATE_CONFIRMATION, student.district)
    if window is not None and not window.contains(timezone.now()):
        raise error_codes.JUNIOR_CONFIRMATION_CLOSED.error()


def _check_awaiting(student: Student) -> None:
    if student.state != StudentState.AWAITING_CONFIRMATION:
        raise error_codes.JUNIOR_NOT_AWAITING.error()


def _new_confirmation_number(student: Student) -> str:
    prefix = student.campaign.form_number_prefix
    for _attempt in range(16):
        number = new_form_number(prefix)
        if not Student.objects.filter(confirmation_number=number).exists():
            return number
    raise RuntimeError("no free confirmation number after several attempts")


def confirm(student: Student, code: str, method: str) -> Student:
    """R37: the family signs the data as shown. The sheet keeps its number across re-confirmations;
    each confirmation draws a new verification code, so a sheet printed before a correction no longer
    verifies. The time and method are written in the transaction of the workflow's action."""
    _check_awaiting(student)
    _check_window(student)  # before the code is spent; asked again on the locked row
    with spend_code(student, CONFIRM, code):
        record_confirmation(student, method)
    student.refresh_from_db()
    return student


@transaction.atomic
def record_confirmation(student: Student, method: str) -> Student:
    """The signature itself, on the locked student: time, method, sheet number, a new verification
    code and the workflow's Confirm data. confirm() calls it once the family's code is spent; a sheet
    signed on paper at the school (the demo's) is recorded through it directly."""
    locked = Student.objects.select_for_update().select_related("campaign", "district").get(pk=student.pk)
    _check_awaiting(locked)
    _check_window(locked)
    locked.confirmed_at = timezone.now()
    locked.confirmation_method = method
    locked.confirmation_number = locked.confirmation_number or _new_confirmation_number(locked)
    locked.verification_code = new_verification_code()
    locked.save(update_fields=["confirmed_at", "confirmation_method", "confirmation_number",
                               "verification_code", "updated_at"])
    engine.apply_action(None, locked, A.CONFIRM_DATA, system=True)
    return locked


def correction_text(corrections: dict, note: str = "") -> str:
    """What the family reported, as the school reads it: one line per field ("label: what it should be")."""
    lines = [f"{field_label(name)}：{value}" for name, value in corrections.items()]
    if note:
        lines.append(note)
    return "\n".join(lines)


def clean_corrections(corrections: dict | None, note: str = "") -> tuple[dict, str]:
    corrections = corrections or {}
    unknown = [name for name in corrections if name not in CORRECTABLE]
    if unknown:
        raise ValidationError({"corrections": [error_codes.UNKNOWN_FIELD.error()]})
    cleaned = {name: " ".join(str(value or "").split()) for name, value in corrections.items()}
    cleaned = {name: value[:200] for name in CORRECTABLE if (value := cleaned.get(name))}
    note = (note or "").strip()[:500]
    if not cleaned:
        raise ValidationError({"corrections": [error_codes.JUNIOR_CORRECTION_EMPTY.error()]})
    return cleaned, note


def report_correction(student: Student, code: str, corrections: dict, note: str = "") -> Student:
    """R38: the family says which fields are wrong and what they should be; the report goes to the
    graduating school's queue (state correction_requested), which corrects the data in the desk."""
    cleaned, note = clean_corrections(corrections, note)
    _check_awaiting(student)
    _check_window(student)
    text = correction_text(cleaned, note)
    with spend_code(student, CORRECT, code):
        locked = Student.objects.select_for_update().get(pk=student.pk)
        _check_awaiting(locked)
        locked.correction_request = text
        locked.save(update_fields=["correction_request", "updated_at"])
        engine.apply_action(None, locked, A.REPORT_CORRECTION, text, system=True)
    student.refresh_from_db()
    return student
