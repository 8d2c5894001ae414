"""R41: the admission route is recorded with the transition that decided it (who, when, which
action), shown on the desk and exported; a refused admission changes nothing."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import FeederPair, Student
from apps.bj_enrollment.services.admissions import admit
from apps.lowcode.workflow import engine, errors
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.exports import exported

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(junior):
    return factories.put_in_state(junior.east_student, "confirmed")


def _frozen(student):
    return Student.objects.filter(pk=student.pk).values().get()


def test_the_route_is_written_with_its_transition_record(junior, confirmed):
    record = admit(junior.east_reviewer, confirmed, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    confirmed.refresh_from_db()
    assert (confirmed.state, confirmed.admission_route, confirmed.school) == (
        "admitted", "registration", junior.east_junior)
    assert confirmed.admission_record == record
    assert (record.action, record.user, record.from_state, record.to_state) == (
        A.ADMIT_BY_REGISTRATION, junior.east_reviewer, "confirmed", "admitted")
    assert TransitionRecord.objects.filter(object_id=str(confirmed.pk), action=A.ADMIT_BY_REGISTRATION).count() == 1


def test_the_lottery_admits_as_a_system_action(junior, confirmed):
    record = admit(None, confirmed, A.ASSIGN_BY_LOTTERY, junior.east_junior, system=True)
    confirmed.refresh_from_db()
    assert (confirmed.admission_route, confirmed.admission_record, record.user) == ("lottery", record, None)


def test_feeder_route_needs_a_feeder_pair_and_a_refusal_changes_nothing(junior, confirmed):
    before = _frozen(confirmed)
    with pytest.raises(errors.Refused):
        admit(junior.east_reviewer, confirmed, A.ADMIT_FEEDER, junior.east_junior)
    assert _frozen(confirmed) == before
    assert not TransitionRecord.objects.filter(object_id=str(confirmed.pk), to_state="admitted").exists()


def test_feeder_button_takes_the_one_paired_school(client, junior, confirmed):
    FeederPair.objects.create(campaign=junior.campaign, primary_school=junior.east_primary,
                              junior_school=junior.east_junior)
    client.force_login(junior.east_reviewer)
    url = reverse("admin:bj_enrollment_student_workflow_action", args=[confirmed.pk])
    client.post(url, {"action": A.ADMIT_FEEDER, "state": "confirmed"})
    confirmed.refresh_from_db()
    assert (confirmed.state, confirmed.admission_route, confirmed.school) == ("admitted", "feeder", junior.east_junior)
    assert confirmed.admission_record.user == junior.east_reviewer


def test_a_school_cannot_admit_and_nothing_changes(junior, confirmed):
    before = _frozen(confirmed)
    with pytest.raises(errors.WorkflowError):
        admit(junior.east_school_reviewer, confirmed, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    assert _frozen(confirmed) == before


def test_a_changed_result_clears_the_route_and_keeps_the_record(junior, confirmed):
    record = admit(junior.east_reviewer, confirmed, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    engine.apply_action(junior.east_reviewer, confirmed, A.CHANGE_RESULT, "志愿填报有误")
    confirmed.refresh_from_db()
    assert (confirmed.state, confirmed.admission_route, confirmed.school, confirmed.admission_record) == (
        "confirmed", "", None, None)
    assert TransitionRecord.objects.filter(pk=record.pk).exists()


def test_route_and_decision_on_the_desk_and_in_the_export(client, junior, confirmed):
    admit(junior.east_reviewer, confirmed, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    client.force_login(junior.east_reviewer)
    page = client.get(reverse("admin:bj_enrollment_student_change", args=[confirmed.pk])).content.decode()
    assert "登记入学" in page and "登记入学录取" in page  # the route and the deciding action
    response = client.post(reverse("admin:bj_enrollment_student_changelist"),
                           {"action": "export_xlsx", "_selected_action": [confirmed.pk]})
    rows = list(load_workbook(BytesIO(exported(client, response))).active.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert row[header.index("入学途径")] == "登记入学"
    assert row[header.index("入学决定")].startswith("登记入学录取")
    assert row[header.index("初中")] == junior.east_junior.name


def test_the_desk_admit_page_admits_with_the_chosen_school(client, junior, confirmed):
    client.force_login(junior.east_reviewer)
    url = reverse("admin:bj_enrollment_student_admit_student", args=[confirmed.pk])
    page = client.get(url)
    assert page.status_code == 200 and "登记入学录取" in page.content.decode()
    response = client.post(url, {"action": A.ADMIT_BY_REGISTRATION, "school": junior.east_junior.pk})
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert (confirmed.admission_route, confirmed.school, confirmed.admission_record.user) == (
        "registration", junior.east_junior, junior.east_reviewer)


def test_the_desk_admit_page_refuses_and_changes_nothing(client, junior, confirmed):
    before = _frozen(confirmed)
    client.force_login(junior.east_reviewer)
    url = reverse("admin:bj_enrollment_student_admit_student", args=[confirmed.pk])
    response = client.post(url, {"action": A.ADMIT_FEEDER, "school": junior.east_junior.pk})  # no feeder pair
    assert response.status_code == 200 and 'id="admit-errors"' in response.content.decode()
    client.force_login(junior.east_school_reviewer)
    assert client.post(url, {"action": A.ADMIT_BY_REGISTRATION, "school": junior.east_junior.pk}).status_code == 403
    client.force_login(junior.west_reviewer)
    assert client.post(url, {"action": A.ADMIT_BY_REGISTRATION, "school": junior.west_junior.pk}).status_code == 404
    assert _frozen(confirmed) == before
