"""R39 transfers (转出/转入): filing in the window, each district held to its own decision, and the
move of the student when both approved.

Every caller (desk, demo, tests) files through `file_transfer`, so the window (R1) and the one open
transfer per student are checked in one place. The decisions are the transfer workflow's actions;
the two steps below run inside the engine's transaction (workflow_setup.register): the first refuses
a decision by the wrong district, the second ends the review and, on the second approval, moves the
student (locked, history written with the transfer as reason, admission route 回户籍/居住地 set by
the approving transition, R41). The move withdraws the student's preference lists (they name the old
district's schools); the family chooses again in the new district.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import AdmissionRoute, Stage, StudentState, TransferState
from apps.bj_enrollment.scope import in_scope, scope_of
from apps.bj_enrollment.services import preferences
from apps.lowcode.workflow.errors import Refused

OUT_ACTIONS = (A.APPROVE_TRANSFER_OUT, A.REFUSE_TRANSFER_OUT)
IN_ACTIONS = (A.APPROVE_TRANSFER_IN, A.REFUSE_TRANSFER_IN)
OPEN_STATES = (TransferState.OUT_REVIEW, TransferState.IN_REVIEW)
# A student who left the campaign or holds a place cannot move any more.
UNMOVABLE = (StudentState.WITHDRAWN, StudentState.ADMITTED)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def require_transfer_window(student) -> None:
    """R1: transfers are filed only while the transfer window of the student's district is open."""
    window = student.campaign.window(Stage.TRANSFER, student.district)
    if window is None:
        raise ValidationError(_("No dates are set for %(stage)s yet.") % {"stage": Stage.TRANSFER.label})
    if not window.contains(timezone.now()):
        raise ValidationError(_("%(stage)s runs from %(opens)s to %(closes)s; this cannot be done now.") % {
            "stage": Stage.TRANSFER.label, "opens": _when(window.opens_at), "closes": _when(window.closes_at)})


def check_filing(user, student, *, to_district, document_number: str, address: str) -> None:
    """Whether this user may file this transfer now: PermissionDenied outside the user's scope,
    ValidationError (by field where there is one) otherwise. The desk's form asks it before saving."""
    from apps.bj_enrollment.models import Transfer

    if not user.has_perm("bj_enrollment.add_transfer") or not in_scope(user, student):
        raise PermissionDenied
    problems = {}
    if not (document_number or "").strip():
        problems["document_number"] = _("Give the number of the hukou booklet or the property certificate.")
    if not (address or "").strip():
        problems["address"] = _("Give the address in the transfer-in district.")
    if to_district is None or to_district.pk == student.district_id:
        problems["to_district"] = _("Choose a district other than the student's own.")
    if problems:
        raise ValidationError(problems)
    require_transfer_window(student)
    if student.state in UNMOVABLE:
        raise ValidationError(_("%(student)s is %(state)s and cannot transfer.") % {
            "student": student, "state": student.get_state_display()})
    if Transfer.objects.filter(student=student, state__in=OPEN_STATES).exists():
        raise ValidationError(_("%(student)s already has a transfer under review.") % {"student": student})


def file_transfer(user, student, *, to_district, basis: str, document_number: str, address: str):
    """The graduating school files a transfer for its graduate (R39), in the out-district's review.
    Checked again on the locked student row, so two filings at once leave one transfer; raises as
    `check_filing` and writes nothing then."""
    from apps.bj_enrollment.models import Student, Transfer

    document_number, address = (document_number or "").strip(), (address or "").strip()
    with transaction.atomic():
        locked = Student.objects.select_for_update().select_related("campaign", "district").get(pk=student.pk)
        check_filing(user, locked, to_district=to_district, document_number=document_number, address=address)
        transfer = Transfer(
            student=locked, basis=basis, document_number=document_number, address=address,
            from_district_id=locked.district_id, to_district=to_district, reviewing_district=to_district,
            filed_by=user,
        )
        transfer.full_clean(exclude=["filed_by", "reviewing_district"])
        transfer._history_user = user
        transfer.save()
    return transfer


def deciding_district_id(transfer, action: str) -> int | None:
    if action in OUT_ACTIONS:
        return transfer.from_district_id
    if action in IN_ACTIONS:
        return transfer.to_district_id
    return None


def may_decide(user, transfer, action: str) -> bool:
    """Only the transfer-out district decides first, only the transfer-in district second (city staff both)."""
    district_id = deciding_district_id(transfer, action)
    if district_id is None:
        return True
    scope = scope_of(user)
    return scope.everything or (scope.district_id == district_id and not scope.school_id)


def check_deciding_district(transfer, record) -> None:
    """Engine step: a decision taken by a district on the other side's turn is refused."""
    if record.user is not None and not may_decide(record.user, transfer, record.action):
        raise Refused(reason=_("This decision belongs to %(district)s.") % {
            "district": transfer.to_district if record.action in IN_ACTIONS else transfer.from_district})


def settle(transfer, record) -> None:
    """Engine step: a decided transfer stops showing the student to the transfer-in district; the
    second approval moves the student."""
    if record.to_state in OPEN_STATES:
        return
    if record.to_state == TransferState.APPROVED:
        move_student(transfer, record)
    transfer.reviewing_district = None
    transfer.save(update_fields=["reviewing_district", "updated_at"])


def move_student(transfer, record) -> None:
    """Inside the approving transition: the student's district becomes the transfer-in district, with
    the approval as the record of the admission route 回户籍/居住地 (R39, R41)."""
    from apps.bj_enrollment.models import Student

    student = Student.objects.select_for_update().get(pk=transfer.student_id)
    if student.state in UNMOVABLE:
        raise Refused(reason=_("%(student)s is %(state)s and cannot transfer.") % {
            "student": student, "state": student.get_state_display()})
    if student.district_id != transfer.from_district_id:
        raise Refused(reason=_("%(student)s is no longer in %(district)s.") % {
            "student": student, "district": transfer.from_district})
    student.district_id = transfer.to_district_id
    student.admission_route, student.admission_record = AdmissionRoute.HOME_DISTRICT, record
    student._history_user = record.user
    student._change_reason = _("Transfer approved: %(from)s → %(to)s") % {
        "from": transfer.from_district, "to": transfer.to_district}
    student.save(update_fields=["district", "admission_route", "admission_record", "updated_at"])
    # the preference lists (draft and confirmed) name the old district's schools: withdrawn with the move,
    # so the lottery never reads them; the approval's message asks the family to choose in the new district
    preferences.withdraw(student, user=record.user, reason=student._change_reason)


def transfer_status(student) -> dict | None:
    """What the family sees of the student's latest transfer, the one source of the portal's home page
    and the API's student answer: state, both districts' decisions with their time, the refusal's
    reason. None without a transfer."""
    from apps.bj_enrollment.models import Transfer
    from apps.lowcode.workflow import engine
    from apps.lowcode.workflow.states import parent_label, state_of

    transfer = Transfer.objects.filter(student=student).select_related("from_district", "to_district").first()
    if transfer is None:
        return None
    records = list(engine.history(transfer).filter(action__in=OUT_ACTIONS + IN_ACTIONS))
    refusal = next((r.reason for r in reversed(records) if r.to_state == TransferState.REFUSED), "")
    return {
        "state": transfer.state,
        "label": parent_label(transfer),
        "hint": _(row.parent_hint) if (row := state_of(transfer)) is not None and row.parent_hint else "",
        "from_district": transfer.from_district.name,
        "to_district": transfer.to_district.name,
        "basis": transfer.get_basis_display(),
        "filed_at": transfer.created_at,
        "refusal_reason": refusal,
        "decisions": [_decision(transfer, record) for record in records],
    }


def _decision(transfer, record) -> dict:
    """One district's decision as the family reads it: which district, what (同意转出…), when, why."""
    district = transfer.from_district if record.action in OUT_ACTIONS else transfer.to_district
    return {
        "district": district.name,
        "action": record.action,
        "label": _(record.action),
        "approved": record.action in (A.APPROVE_TRANSFER_OUT, A.APPROVE_TRANSFER_IN),
        "at": record.created_at,
        "reason": record.reason,
    }
