"""R39/R41: a student admitted in its new district after an approved transfer enters by 回户籍/居住地,
whichever public action admitted it (the desk's Admit page, the lottery); special education keeps its
own route, and a refused transfer changes no route."""

import pytest
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, Transfer
from apps.bj_enrollment.services.admissions import admit
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.junior.test_transfers import _decide, _file

pytestmark = pytest.mark.django_db


def _transferred(client, junior, *, approved=True):
    assert _file(client, junior).status_code == 302
    transfer = Transfer.objects.get(student=junior.east_student)
    if approved:
        _decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
        _decide(client, junior.west_reviewer, transfer, A.APPROVE_TRANSFER_IN)
    else:
        _decide(client, junior.east_reviewer, transfer, A.REFUSE_TRANSFER_OUT, "不符合转出条件")
    return factories.put_in_state(Student.objects.get(pk=junior.east_student.pk), "confirmed")


def _admit_in_desk(client, user, student, action, school):
    client.force_login(user)
    url = reverse("admin:bj_enrollment_student_admit_student", args=[student.pk])
    response = client.post(url, {"action": action, "school": school.pk if school else ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Student.objects.get(pk=student.pk)


def _record(student, action):
    return TransitionRecord.objects.get(object_id=str(student.pk), content_type__model="student", action=action)


def test_admitted_by_registration_in_the_new_district_keeps_the_home_district_route(client, junior):
    student = _transferred(client, junior)
    assert student.district == junior.west_primary.district
    student = _admit_in_desk(client, junior.west_reviewer, student, A.ADMIT_BY_REGISTRATION, junior.west_junior)
    assert (student.state, student.school, student.admission_route) == ("admitted", junior.west_junior, "home_district")
    assert student.admission_record == _record(student, A.ADMIT_BY_REGISTRATION)


def test_placed_by_the_lottery_in_the_new_district_keeps_the_home_district_route(client, junior):
    student = _transferred(client, junior)
    record = admit(None, student, A.ASSIGN_BY_LOTTERY, junior.west_junior, system=True)
    student.refresh_from_db()
    assert (student.admission_route, student.admission_record) == ("home_district", record)


def test_special_education_keeps_its_own_route_after_a_transfer(client, junior):
    student = _transferred(client, junior)
    student = _admit_in_desk(client, junior.west_reviewer, student, A.ADMIT_SPECIAL_EDUCATION, None)
    assert student.admission_route == "special_education"


def test_a_refused_transfer_leaves_the_route_to_the_admitting_action(client, junior):
    student = _transferred(client, junior, approved=False)
    assert student.district == junior.east_primary.district
    student = _admit_in_desk(client, junior.east_reviewer, student, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    assert student.admission_route == "registration"
