"""R39 transfers through the desk, from the users' side: the graduating school files and prints, the
transfer-out district decides, then the transfer-in district; scope follows the move at each step,
each decision reaches the family by SMS, and the window (R1) holds."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import AdmissionRoute, Stage
from apps.bj_enrollment.models import CampaignWindow, Student, Transfer
from apps.bj_enrollment.services import transfers
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_ADAPTER = "locmem"  # the gateway's local stand-in: what the family would receive
    sms.clear()


def _url(view, *args, model="transfer"):
    return reverse(f"admin:bj_enrollment_{model}_{view}", args=args)


def _file(client, junior, **changes):
    client.force_login(junior.east_school_reviewer)
    data = {"student": junior.east_student.pk, "to_district": junior.west_primary.district_id, "basis": "hukou",
            "document_number": "110102000123", "address": "西城区西长安街1号", "_save": "1", **changes}
    return client.post(_url("add"), data)


def _decide(client, user, transfer, action, reason=""):
    client.force_login(user)
    return client.post(_url("workflow_action", transfer.pk), {"action": action, "reason": reason})


def _student_action(client, user, student, action, reason=""):
    client.force_login(user)
    client.post(_url("workflow_action", student.pk, model="student"), {"action": action, "reason": reason})
    return Student.objects.get(pk=student.pk)


def _sees_student(client, user, student) -> bool:
    client.force_login(user)
    listed = {s.pk for s in client.get(_url("changelist", model="student")).context["cl"].result_list}
    page = client.get(_url("change", student.pk, model="student"))
    assert (student.pk in listed) == (page.status_code == 200)
    return page.status_code == 200


def test_a_transfer_through_both_districts_moves_the_student_and_its_scope(client, junior, run_jobs):
    student, east, west = junior.east_student, junior.east_reviewer, junior.west_reviewer
    assert not _sees_student(client, west, student)

    response = _file(client, junior)
    assert response.status_code == 302, response.content.decode()[:2000]
    transfer = Transfer.objects.get(student=student)
    assert (transfer.state, transfer.from_district, transfer.filed_by) == (
        "out_review", junior.east_primary.district, junior.east_school_reviewer)

    # under review both districts see the transfer and the student; only the student's own district changes it
    assert _sees_student(client, east, student) and _sees_student(client, west, student)
    assert _student_action(client, west, student, A.OPEN_FOR_CONFIRMATION).state == "imported"
    assert not TransitionRecord.objects.filter(object_id=str(student.pk), content_type__model="student").exists()
    client.force_login(west)
    page = client.get(_url("change", student.pk, model="student")).content.decode()
    assert 'value="Open for confirmation"' not in page and 'name="_save"' not in page
    assert client.post(_url("change", student.pk, model="student"), {"name": "改名"}).status_code == 403
    assert Student.objects.get(pk=student.pk).name == student.name
    assert client.get(_url("change", transfer.pk)).status_code == 200

    # the transfer-in district cannot decide first: the out-district's decision is not offered to it
    page = client.get(_url("change", transfer.pk)).content.decode()
    assert 'value="Approve transfer out"' not in page
    _decide(client, west, transfer, A.APPROVE_TRANSFER_OUT)
    transfer.refresh_from_db()
    assert transfer.state == "out_review"

    client.force_login(east)
    page = client.get(_url("change", transfer.pk)).content.decode()
    assert 'value="Approve transfer out"' in page and 'value="Refuse transfer out"' in page
    _decide(client, east, transfer, A.APPROVE_TRANSFER_OUT)
    transfer.refresh_from_db()
    assert transfer.state == "in_review"
    client.force_login(west)
    assert 'value="Approve transfer in"' in client.get(_url("change", transfer.pk)).content.decode()
    _decide(client, east, transfer, A.APPROVE_TRANSFER_IN)  # not the out-district's turn any more
    transfer.refresh_from_db()
    assert transfer.state == "in_review" and Student.objects.get(pk=student.pk).district == junior.east_primary.district

    _decide(client, west, transfer, A.APPROVE_TRANSFER_IN)
    transfer.refresh_from_db()
    student.refresh_from_db()
    approval = TransitionRecord.objects.get(object_id=str(transfer.pk), action=A.APPROVE_TRANSFER_IN)
    assert transfer.state == "approved" and transfer.reviewing_district is None
    assert student.district == junior.west_primary.district
    assert (student.admission_route, student.admission_record) == (AdmissionRoute.HOME_DISTRICT, approval)
    moved = student.history.order_by("-history_id").first()
    assert moved.district_id == student.district_id and moved.history_change_reason

    # afterwards: the old district keeps the transfer's history but no longer sees or changes the student
    assert not _sees_student(client, east, student)
    client.force_login(east)
    assert client.get(_url("change", transfer.pk)).status_code == 200
    assert _student_action(client, east, student, A.OPEN_FOR_CONFIRMATION).state == "imported"
    assert not TransitionRecord.objects.filter(object_id=str(student.pk), content_type__model="student").exists()
    # the new district does
    assert _sees_student(client, west, student)
    assert _student_action(client, west, student, A.OPEN_FOR_CONFIRMATION).state == "awaiting_confirmation"

    run_jobs()
    texts = sms.texts_to(student.mobile)
    assert any("已同意" in t and "转出" in t for t in texts), texts
    assert any("已获批准" in t for t in texts), texts
    status = transfers.transfer_status(student)
    assert status["state"] == "approved" and status["to_district"] == junior.west_primary.district.name


@pytest.mark.parametrize("side", ["out", "in"])
def test_a_refusal_reaches_the_family_with_its_reason_and_the_student_stays(client, junior, run_jobs, side):
    _file(client, junior)
    transfer = Transfer.objects.get(student=junior.east_student)
    if side == "in":
        _decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    decider = junior.east_reviewer if side == "out" else junior.west_reviewer
    refuse = A.REFUSE_TRANSFER_OUT if side == "out" else A.REFUSE_TRANSFER_IN
    _decide(client, decider, transfer, refuse)  # a refusal without its reason is refused
    transfer.refresh_from_db()
    assert transfer.state == ("out_review" if side == "out" else "in_review")

    _decide(client, decider, transfer, refuse, "证件编号与登记信息不符")
    transfer.refresh_from_db()
    student = Student.objects.get(pk=junior.east_student.pk)
    assert transfer.state == "refused" and student.district == junior.east_primary.district
    assert student.admission_route == ""
    assert not _sees_student(client, junior.west_reviewer, student)
    assert _sees_student(client, junior.east_reviewer, student)
    run_jobs()
    assert any("证件编号与登记信息不符" in t for t in sms.texts_to(student.mobile))
    assert transfers.transfer_status(student)["refusal_reason"] == "证件编号与登记信息不符"


def test_filing_outside_the_transfer_window_is_refused_and_nothing_is_written(client, junior):
    now = timezone.now()
    CampaignWindow.objects.filter(campaign=junior.campaign, stage=Stage.TRANSFER).update(
        opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(days=5))
    response = _file(client, junior)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors and str(Stage.TRANSFER.label) in errors[0]
    assert not Transfer.objects.exists()
    student = Student.objects.get(pk=junior.east_student.pk)
    assert student.district == junior.east_primary.district


def test_a_second_transfer_while_one_is_under_review_is_refused(client, junior):
    assert _file(client, junior).status_code == 302
    response = _file(client, junior, basis="property", document_number="京(2020)西城区不动产权第0001号")
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert Transfer.objects.count() == 1


def test_only_the_graduating_school_side_files_and_only_for_its_own_graduates(client, junior):
    client.force_login(junior.east_school_reviewer)
    data = {"student": junior.west_student.pk, "to_district": junior.east_primary.district_id, "basis": "hukou",
            "document_number": "1", "address": "东城区", "_save": "1"}
    response = client.post(_url("add"), data)
    assert response.status_code == 200 and "student" in response.context["adminform"].form.errors
    client.force_login(junior.east_junior_reviewer)  # a junior high's reviewer has no graduate of its own
    response = client.post(_url("add"), {**data, "student": junior.east_student.pk})
    assert response.status_code in (200, 403)
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(("who", "sees"), [
    ("east_reviewer", {"east", "west"}),  # from east, and to east
    ("west_reviewer", {"east", "west"}),
    ("east_school_reviewer", {"east"}),  # its graduate's transfer
    ("east_junior_reviewer", set()),
    ("city_admin", {"east", "west"}),
])
def test_transfer_list_scope(client, junior, who, sees):
    east = transfers.file_transfer(junior.east_school_reviewer, junior.east_student,
                                   to_district=junior.west_primary.district, basis="hukou",
                                   document_number="1", address="西城区")
    west_school = factories.staff("west-school", "学校审核员", school_=junior.west_primary)
    west = transfers.file_transfer(west_school, junior.west_student, to_district=junior.east_primary.district,
                                   basis="property", document_number="2", address="东城区")
    client.force_login(getattr(junior, who))
    listed = {t.pk for t in client.get(_url("changelist")).context["cl"].result_list}
    assert listed == {{"east": east.pk, "west": west.pk}[s] for s in sees}


def test_print_for_signature_is_a_pdf_in_scope_only(client, junior, settings):
    settings.PRINT_IN_PROCESS = True
    _file(client, junior)
    transfer = Transfer.objects.get()
    response = client.get(_url("print_transfer", transfer.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = factories.staff("south", "区教委审核员", district_=factories.district("110105", "朝阳区"))
    client.force_login(other)
    assert client.get(_url("print_transfer", transfer.pk)).status_code in (302, 403, 404)
