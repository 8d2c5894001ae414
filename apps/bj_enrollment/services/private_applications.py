"""Private-school applications (R43, seed 002): the one home of their rules.

- Who: a student whose family confirmed the graduate data and who has no school yet.
- When: the campaign's PRIVATE_APPLICATION window of the student's district (its own, else the city's);
  no window means closed. Checked on every write, on the locked student.
- What: an active private junior high; at most PrivateApplicationSetting.max_choices live applications
  (one when the city set nothing), never the same school twice. Change and withdraw until the window
  closes; every change is kept in the application's history.
- How: each write spends an SMS code sent to the mobile on file (portal/sms_codes.py); a refusal
  changes nothing and leaves the code usable. Each refusal has its code in error_codes (PRIVATE_*),
  which the API answers with.
The school's lottery (公民同招) and its outcome live in lottery/private_lottery.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import Ownership, Stage, StudentState
from apps.bj_enrollment.models import PrivateApplication, PrivateApplicationSetting, School, Student
from apps.bj_enrollment.portal import sms_codes
from apps.bj_enrollment.portal.flows import send_code

APPLIED = PrivateApplication.State.APPLIED
PURPOSE = "private_application"  # the SMS code's purpose, bound to the student


def max_choices(campaign) -> int:
    setting = PrivateApplicationSetting.objects.filter(campaign=campaign).first()
    return setting.max_choices if setting else 1


def is_open(student: Student) -> bool:
    window = student.campaign.window(Stage.PRIVATE_APPLICATION, student.district)
    return bool(window and window.contains(timezone.now()))


def schools():
    """The private junior highs a family may apply to (any district's), by name."""
    return School.objects.filter(offers_junior=True, active=True, ownership=Ownership.PRIVATE).order_by("name", "pk")


def live(student: Student):
    return student.private_applications.filter(state=APPLIED).select_related("school")


def refusal(student: Student) -> error_codes.ErrorCode | None:
    """Why this student may not apply, change or withdraw now (None: it may): the gate of every write
    and of the portal's link to the page. No school yet, data confirmed, inside the window."""
    if student.school_id or student.state == StudentState.ADMITTED:
        return error_codes.PRIVATE_ADMITTED
    if student.state != StudentState.CONFIRMED:
        return error_codes.PRIVATE_NOT_CONFIRMED
    if not is_open(student):
        return error_codes.PRIVATE_CLOSED
    return None


def may_apply(student: Student) -> bool:
    return refusal(student) is None


def check_may_change(student: Student) -> None:
    if (code := refusal(student)) is not None:
        raise code.error()


def _locked_and_checked(student: Student) -> Student:
    locked = Student.objects.select_for_update().get(pk=student.pk)
    check_may_change(locked)
    return locked


def send_confirmation_code(request, student: Student) -> None:
    """An SMS code to the mobile on file (never a number the requester types) for the next change."""
    check_may_change(student)
    if not student.mobile:
        raise error_codes.PRIVATE_NO_MOBILE.error()
    send_code(request, PURPOSE, student.mobile, student.campaign, bound_to=str(student.pk))


def _spend(student: Student, code: str):
    """The code's unit of work: refused before anything is written; the write rolls back with it."""
    check_may_change(student)
    try:
        return sms_codes.spend(PURPOSE, student.mobile or "", (code or "").strip(), bound_to=str(student.pk))
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.error_list}) from None


def _school(code: str) -> School:
    school = schools().filter(code=(code or "").strip()).first()
    if school is None:
        raise ValidationError({"school": [error_codes.PRIVATE_NOT_A_PRIVATE_SCHOOL.error()]})
    return school


def apply(student: Student, school_code: str, code: str) -> PrivateApplication:
    """A new application; refused beyond the limit or for a school applied to already."""
    _school(school_code)
    with _spend(student, code), transaction.atomic():
        locked = _locked_and_checked(student)
        school = _school(school_code)
        current = list(live(locked))
        if any(a.school_id == school.pk for a in current):
            raise ValidationError({"school": [error_codes.PRIVATE_DUPLICATE.error(school=school.name)]})
        limit = max_choices(locked.campaign)
        if len(current) >= limit:
            raise error_codes.PRIVATE_TOO_MANY.error(max=limit)
        return PrivateApplication.objects.create(student=locked, school=school)


def _own_live(locked: Student, application_id) -> PrivateApplication:
    application = PrivateApplication.objects.select_for_update().filter(
        pk=application_id, student=locked, state=APPLIED
    ).first()
    if application is None:
        raise ValidationError({"application": [error_codes.PRIVATE_NO_APPLICATION.error()]})
    return application


def change(student: Student, application_id, school_code: str, code: str) -> PrivateApplication:
    """Another private school instead of the one applied to."""
    _school(school_code)
    with _spend(student, code), transaction.atomic():
        locked = _locked_and_checked(student)
        application = _own_live(locked, application_id)
        school = _school(school_code)
        if live(locked).filter(school=school).exclude(pk=application.pk).exists():
            raise ValidationError({"school": [error_codes.PRIVATE_DUPLICATE.error(school=school.name)]})
        application.school = school
        application.save(update_fields=["school", "updated_at"])
        return application


def withdraw(student: Student, application_id, code: str) -> None:
    with _spend(student, code), transaction.atomic():
        locked = _locked_and_checked(student)
        application = _own_live(locked, application_id)
        application.state = PrivateApplication.State.WITHDRAWN
        application.save(update_fields=["state", "updated_at"])
