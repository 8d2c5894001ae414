"""R40 new arrivals (新进京) from the district's side: registered in the desk with the hukou proof or the
street office's study certificate number, reviewed in the Student workflow, then enrolled in that
district like any graduate (route 新进京); the window (R1) and the district's scope hold."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import AdmissionRoute, Stage, StudentSource
from apps.bj_enrollment.models import CampaignWindow, Student, StudentGuardian
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.models import TransitionRecord

pytestmark = pytest.mark.django_db

ADD = "admin:bj_enrollment_newarrival_add"


def _form(junior, **changes):
    return {
        "campaign": junior.campaign.pk, "education_id": "G440300201401010011", "name": "陈新京",
        "id_type": "resident_id", "id_number": "440300201401010011", "birth_date": "2014-01-01", "gender": "male",
        "hukou_province": "北京市", "hukou_district": junior.east_primary.district_id,
        "hukou_address": "东城区东四十条1号", "graduating_school": junior.east_primary.pk,
        "graduating_class": "六年级3班", "mobile": "13800138011",
        "arrival_document_number": "京东四街道学籍证明2026-017",
        "guardian_name": "陈大京", "guardian_relationship": "father", "guardian_phone": "13800138011",
        "_save": "1", **changes,
    }


def _student_action(client, student, action, reason=""):
    client.post(reverse("admin:bj_enrollment_student_workflow_action", args=[student.pk]),
                {"action": action, "reason": reason})
    return Student.objects.get(pk=student.pk)


def test_a_new_arrival_from_registration_to_enrolment(client, junior):
    client.force_login(junior.east_reviewer)
    assert client.get(reverse(ADD)).status_code == 200
    response = client.post(reverse(ADD), _form(junior))
    student = Student.objects.get(education_id="G440300201401010011")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:bj_enrollment_student_change", args=[student.pk])
    assert (student.source, student.state, student.district) == (
        StudentSource.NEW_ARRIVAL, "new_arrival_review", junior.east_primary.district)
    assert student.arrival_document_number == "京东四街道学籍证明2026-017"
    assert StudentGuardian.objects.get(student=student).name == "陈大京"
    submitted = TransitionRecord.objects.get(object_id=str(student.pk), action=A.SUBMIT_NEW_ARRIVAL)
    assert submitted.user == junior.east_reviewer

    listed = client.get(reverse("admin:bj_enrollment_newarrival_changelist")).context["cl"].result_list
    assert [s.pk for s in listed] == [student.pk]  # the graduates from the registry are not listed here

    student = _student_action(client, student, A.APPROVE_NEW_ARRIVAL)
    assert student.state == "awaiting_confirmation"
    engine.apply_action(None, student, A.CONFIRM_DATA, system=True)  # the family confirms (portal, J2)
    Student.objects.filter(pk=student.pk).update(school=junior.east_junior)
    student.refresh_from_db()
    engine.apply_action(junior.east_reviewer, student, A.ADMIT_NEW_ARRIVAL)
    student.refresh_from_db()
    assert (student.state, student.school, student.admission_route) == (
        "admitted", junior.east_junior, AdmissionRoute.NEW_ARRIVAL)


def test_a_refused_new_arrival_keeps_the_reason(client, junior):
    client.force_login(junior.east_reviewer)
    client.post(reverse(ADD), _form(junior))
    student = Student.objects.get(education_id="G440300201401010011")
    assert _student_action(client, student, A.REFUSE_NEW_ARRIVAL).state == "new_arrival_review"  # reason required
    student = _student_action(client, student, A.REFUSE_NEW_ARRIVAL, "街道学籍证明编号无效")
    assert student.state == "new_arrival_refused"
    assert TransitionRecord.objects.get(object_id=str(student.pk), action=A.REFUSE_NEW_ARRIVAL).reason == \
        "街道学籍证明编号无效"


def test_registration_outside_the_window_is_refused_and_nothing_is_written(client, junior):
    now = timezone.now()
    CampaignWindow.objects.filter(campaign=junior.campaign, stage=Stage.NEW_ARRIVAL_REVIEW).update(
        opens_at=now + dt.timedelta(days=5), closes_at=now + dt.timedelta(days=10))
    client.force_login(junior.east_reviewer)
    response = client.post(reverse(ADD), _form(junior))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors and str(Stage.NEW_ARRIVAL_REVIEW.label) in errors[0]
    assert not Student.objects.filter(source=StudentSource.NEW_ARRIVAL).exists()


def test_a_district_registers_only_at_its_own_schools_and_a_school_not_at_all(client, junior):
    client.force_login(junior.east_reviewer)
    response = client.post(reverse(ADD), _form(junior, graduating_school=junior.west_primary.pk))
    assert response.status_code == 200 and "graduating_school" in response.context["adminform"].form.errors
    client.force_login(junior.east_school_reviewer)
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), _form(junior)).status_code == 403
    assert not Student.objects.filter(source=StudentSource.NEW_ARRIVAL).exists()


def test_a_missing_certificate_number_is_named(client, junior):
    client.force_login(junior.east_reviewer)
    response = client.post(reverse(ADD), _form(junior, arrival_document_number=""))
    assert "arrival_document_number" in response.context["adminform"].form.errors
    assert not Student.objects.filter(source=StudentSource.NEW_ARRIVAL).exists()


def test_the_new_arrivals_list_is_scoped(client, junior):
    client.force_login(junior.east_reviewer)
    client.post(reverse(ADD), _form(junior))
    client.force_login(junior.west_reviewer)
    assert list(client.get(reverse("admin:bj_enrollment_newarrival_changelist")).context["cl"].result_list) == []
    student = Student.objects.get(education_id="G440300201401010011")
    page = client.get(reverse("admin:bj_enrollment_newarrival_change", args=[student.pk]))
    assert page.status_code in (302, 403, 404)
