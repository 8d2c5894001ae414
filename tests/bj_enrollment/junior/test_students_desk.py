"""The students' desk pages: each scope sees only its students, on the list, the change page and the
export (R25, R26 for 小升初)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student
from apps.lowcode.workflow import engine
from tests import factories
from tests.exports import exported

pytestmark = pytest.mark.django_db


def _url(view, *args, model="student"):
    return reverse(f"admin:bj_enrollment_{model}_{view}", args=args)


def _listed(response):
    assert response.status_code == 200
    return {obj.education_id for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("east_reviewer", {"east"}),
        ("east_school_reviewer", {"east"}),  # the graduating school
        ("west_reviewer", {"west"}),
        ("city_admin", {"east", "west"}),
        ("east_junior_reviewer", set()),  # nobody admitted there yet
    ],
)
def test_list_shows_only_own_scope(client, junior, who, sees):
    client.force_login(getattr(junior, who))
    expected = {getattr(junior, f"{side}_student").education_id for side in sees}
    assert _listed(client.get(_url("changelist"))) == expected


def test_admitting_junior_high_sees_its_admitted_student(client, junior):
    Student.objects.filter(pk=junior.east_student.pk).update(school=junior.east_junior)
    client.force_login(junior.east_junior_reviewer)
    assert _listed(client.get(_url("changelist"))) == {junior.east_student.education_id}


@pytest.mark.parametrize("who", ["east_reviewer", "east_school_reviewer"])
def test_change_page_of_another_districts_student_is_refused(client, junior, who):
    client.force_login(getattr(junior, who))
    response = client.get(_url("change", junior.west_student.pk))
    assert response.status_code in (302, 403, 404)
    assert junior.west_student.name not in response.content.decode()
    own = client.get(_url("change", junior.east_student.pk))
    assert own.status_code == 200 and junior.east_student.name in own.content.decode()


def test_posting_to_another_districts_student_changes_nothing(client, junior):
    client.force_login(junior.east_school_reviewer)
    response = client.post(_url("change", junior.west_student.pk), {"name": "篡改"})
    assert response.status_code in (302, 403, 404)
    junior.west_student.refresh_from_db()
    assert junior.west_student.name == "赵西华"


def test_export_holds_only_own_students(client, junior):
    client.force_login(junior.east_reviewer)
    everyone = [junior.east_student.pk, junior.west_student.pk]
    response = client.post(
        _url("changelist"), {"action": "export_xlsx", "_selected_action": everyone, "select_across": "1"}
    )
    rows = list(load_workbook(BytesIO(exported(client, response))).active.iter_rows(values_only=True))
    cells = {c for row in rows for c in row if c}
    assert junior.east_student.education_id in cells
    assert junior.west_student.education_id not in cells


def test_feeder_pairs_page_is_scoped(client, junior):
    from apps.bj_enrollment.models import FeederPair

    east = FeederPair.objects.create(
        campaign=junior.campaign, primary_school=junior.east_primary, junior_school=junior.east_junior
    )
    west = FeederPair.objects.create(
        campaign=junior.campaign, primary_school=junior.west_primary, junior_school=junior.west_junior
    )
    client.force_login(junior.east_reviewer)
    listed = {p.pk for p in client.get(_url("changelist", model="feederpair")).context["cl"].result_list}
    assert listed == {east.pk}
    assert client.get(_url("change", west.pk, model="feederpair")).status_code in (302, 403, 404)


def test_workflow_is_loaded_and_the_school_corrects_after_a_family_report(junior):
    student = factories.put_in_state(junior.east_student, "awaiting_confirmation")
    engine.apply_action(None, student, A.REPORT_CORRECTION, "出生日期有误", system=True)
    assert student.state == "correction_requested"
    engine.apply_action(junior.east_school_reviewer, student, A.CORRECT_DATA, "按户口簿更正出生日期")
    assert student.state == "awaiting_confirmation"
