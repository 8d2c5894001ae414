"""R40 new arrivals (新进京): a district registers a student new to Beijing in the desk, with the hukou
proof or the street office's study certificate number; the student then waits for the district's
review in the Student workflow (new_arrival_review → awaiting confirmation) and enrolls there like
any graduate (admitted with the route 新进京).

`register_new_arrival` is the one door (desk, demo, tests): scope, the new-arrival window (R1) and
the submission are checked and taken in one transaction, audited by the student's history and the
transition record.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import Level, Stage, StudentSource
from apps.bj_enrollment.scope import scope_of
from apps.lowcode.workflow import engine

GUARDIAN_FIELDS = ("guardian_name", "guardian_relationship", "guardian_phone")


def may_register_in(user, school) -> bool:
    """District staff register new arrivals at their own district's primary schools (city staff anywhere)."""
    if not user.has_perm("bj_enrollment.add_newarrival"):
        return False
    scope = scope_of(user)
    return scope.everything or (scope.district_id == school.district_id and not scope.school_id)


def check_can_register(user, campaign, school) -> None:
    """Raises PermissionDenied or ValidationError (the form shows the same words before saving)."""
    if not may_register_in(user, school):
        raise PermissionDenied
    if campaign.level != Level.JUNIOR:
        raise ValidationError({"campaign": _("Students belong to a junior-high campaign.")})
    window = campaign.window(Stage.NEW_ARRIVAL_REVIEW, school.district)
    if window is None:
        raise ValidationError(_("No dates are set for %(stage)s yet.") % {"stage": Stage.NEW_ARRIVAL_REVIEW.label})
    if not window.contains(timezone.now()):
        when = {k: formats.date_format(timezone.localtime(v), "DATETIME_FORMAT")
                for k, v in (("opens", window.opens_at), ("closes", window.closes_at))}
        raise ValidationError(_("%(stage)s runs from %(opens)s to %(closes)s; this cannot be done now.") % {
            "stage": Stage.NEW_ARRIVAL_REVIEW.label, **when})


def register_new_arrival(user, *, campaign, graduating_school, arrival_document_number: str, guardian=None,
                         **fields):
    """The new arrival in `new_arrival_review`. `fields` are Student fields (education_id, name,
    id_type, id_number, birth_date, gender, hukou_*, graduating_class, mobile); `guardian` a dict
    with name, relationship and phone. Raises PermissionDenied / ValidationError, writing nothing."""
    from apps.bj_enrollment.models import Student, StudentGuardian

    check_can_register(user, campaign, graduating_school)
    number = (arrival_document_number or "").strip()
    if not number:
        raise ValidationError({"arrival_document_number": _(
            "Give the number of the hukou proof or of the street office's study certificate.")})
    with transaction.atomic():
        student = Student(
            campaign=campaign, graduating_school=graduating_school, district=graduating_school.district,
            source=StudentSource.NEW_ARRIVAL, arrival_document_number=number, **fields,
        )
        student.full_clean()
        student._history_user = user
        student._change_reason = _("New arrival registered by the district (R40)")
        student.save()
        if guardian and guardian.get("name"):
            StudentGuardian.objects.create(student=student, **guardian)
        engine.apply_action(user, student, A.SUBMIT_NEW_ARRIVAL)
    return student
