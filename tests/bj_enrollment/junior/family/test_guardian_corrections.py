"""R38: the school's "Correct data" page corrects the guardians too (name, relationship, phone) with
the same reason and history; while the family's correction is pending the student's change page
takes no field edits (the Correct data page is the one door)."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import Student, StudentGuardian
from tests.bj_enrollment.junior.family.test_corrections import correct_in_desk, desk, report
from tests.bj_enrollment.junior.family.test_family_portal import log_in
from tests.lowcode.customfields.helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(client, graduate, run_jobs):
    log_in(client, graduate)
    response = report(client, run_jobs, fix_birth_date="2014-03-16", note="父亲姓名应为张建华，手机13800001111")
    assert response.status_code == 302
    client.logout()
    graduate.refresh_from_db()
    assert graduate.state == "correction_requested"
    return graduate


def _guardians(student):
    return list(StudentGuardian.objects.filter(student=student).order_by("pk").values_list(
        "name", "relationship", "phone"))


def test_the_school_corrects_a_guardian_with_its_reason_in_the_history(client, reported, junior):
    [father] = StudentGuardian.objects.filter(student=reported)
    client.force_login(junior.east_school_reviewer)
    page = client.get(desk("correct_student", reported.pk)).content.decode()
    assert 'id="guardians"' in page and father.name in page

    correct_in_desk(client, reported, "按户口簿更正监护人信息",
                    **{"guardians-0-name": "张建华", "guardians-0-phone": "13800001111",
                       "guardians-1-name": "王丽", "guardians-1-relationship": "mother",
                       "guardians-1-phone": "13800002222"})
    reported.refresh_from_db()
    assert reported.state == "awaiting_confirmation"
    assert _guardians(reported) == [("张建华", "father", "13800001111"), ("王丽", "mother", "13800002222")]
    versions = list(father.history.order_by("history_id").values_list("name", "phone", "history_change_reason"))
    assert versions[0][:2] == ("张大华", reported.mobile)  # the old values are kept
    assert versions[-1] == ("张建华", "13800001111", "按户口簿更正监护人信息")
    added = StudentGuardian.objects.get(student=reported, name="王丽")
    assert added.history.get().history_change_reason == "按户口簿更正监护人信息"


def test_a_guardian_correction_without_a_reason_changes_nothing(client, reported, junior):
    before = _guardians(reported)
    client.force_login(junior.east_school_reviewer)
    page = client.get(desk("correct_student", reported.pk))
    form, guardians = page.context["form"], page.context["guardians"]
    data = {name: form[name].value() or "" for name in form.fields}
    for each in (guardians.management_form, *guardians.forms):
        data.update({each.add_prefix(name): each[name].value() or "" for name in each.fields if name != "DELETE"})
    response = client.post(desk("correct_student", reported.pk), {**data, "guardians-0-name": "张建华", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert _guardians(reported) == before
    assert Student.objects.get(pk=reported.pk).state == "correction_requested"


def test_the_change_page_takes_no_field_edits_while_a_correction_is_pending(client, reported, junior):
    for user in (junior.east_school_reviewer, junior.city_admin):
        client.force_login(user)
        page = client.get(desk("change", reported.pk))
        assert page.status_code == 200 and page.context["has_change_permission"] is False
        before = (Student.objects.filter(pk=reported.pk).values().get(), _guardians(reported))
        response = client.post(desk("change", reported.pk),
                               {**form_data(page), "name": "篡改", "graduating_class": "篡改", "_save": "1"})
        assert response.status_code == 403
        assert (Student.objects.filter(pk=reported.pk).values().get(), _guardians(reported)) == before
        assert reverse("admin:bj_enrollment_student_correct_student", args=[reported.pk]) in page.content.decode()
