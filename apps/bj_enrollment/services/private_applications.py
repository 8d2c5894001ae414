"""Private-school applications (R43, seed 002): the one home of their rules.

- Who: a student whose family confirmed the graduate data and who has no school yet.
- When: the campaign's PRIVATE_APPLICATION window of the student's district (its own, else the city's);
  no window means closed. Checked on every write, on the locked student.
- What: an active private junior high; at most PrivateApplicationSetting.max_choices live applications
  (one when the city set nothing), never the same school twice. Change and withdraw until the window
  closes; every change is kept in the application's history.
The school's lottery (公民同招) and its outcome live in lottery/private_lottery.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import Ownership, Stage, StudentState
from apps.bj_enrollment.models import PrivateApplication, PrivateApplicationSetting, School, Student

APPLIED = PrivateApplication.State.APPLIED


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


def _locked_and_checked(student: Student) -> Student:
    locked = Student.objects.select_for_update().get(pk=student.pk)
    if locked.state != StudentState.CONFIRMED or locked.school_id:
        raise ValidationError(_("A private school can be applied to once the family has confirmed the graduate "
                                "data, and not after admission."))
    if not is_open(locked):
        raise ValidationError(_("The private-school application window is not open at the moment."))
    return locked


def _school(code: str) -> School:
    school = schools().filter(code=(code or "").strip()).first()
    if school is None:
        raise ValidationError(_("This is not a private junior high school that can be applied to."))
    return school


def apply(student: Student, school_code: str) -> PrivateApplication:
    """A new application; refused beyond the limit or for a school applied to already."""
    with transaction.atomic():
        locked = _locked_and_checked(student)
        school = _school(school_code)
        current = list(live(locked))
        if any(a.school_id == school.pk for a in current):
            raise ValidationError(_("You have applied to %(school)s already.") % {"school": school.name})
        limit = max_choices(locked.campaign)
        if len(current) >= limit:
            raise ValidationError(_("At most %(max)d private schools may be applied to.") % {"max": limit})
        return PrivateApplication.objects.create(student=locked, school=school)


def _own_live(locked: Student, application_id) -> PrivateApplication:
    application = PrivateApplication.objects.select_for_update().filter(
        pk=application_id, student=locked, state=APPLIED
    ).first()
    if application is None:
        raise ValidationError(_("There is no such application to change."))
    return application


def change(student: Student, application_id, school_code: str) -> PrivateApplication:
    """Another private school instead of the one applied to."""
    with transaction.atomic():
        locked = _locked_and_checked(student)
        application = _own_live(locked, application_id)
        school = _school(school_code)
        if live(locked).filter(school=school).exclude(pk=application.pk).exists():
            raise ValidationError(_("You have applied to %(school)s already.") % {"school": school.name})
        application.school = school
        application.save(update_fields=["school", "updated_at"])
        return application


def withdraw(student: Student, application_id) -> None:
    with transaction.atomic():
        locked = _locked_and_checked(student)
        application = _own_live(locked, application_id)
        application.state = PrivateApplication.State.WITHDRAWN
        application.save(update_fields=["state", "updated_at"])
