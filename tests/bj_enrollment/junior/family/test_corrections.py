"""R38 through HTTP: the family reports what is wrong (SMS code), the report waits in the graduating
school's desk queue, the school corrects the fields and gives its reason (history keeps old and new
values), the student awaits the family again, and the family confirms the corrected data. A school
outside the student's scope neither sees nor corrects it. An SMS on each step (message templates)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student
from apps.lowcode.messaging.models import MessageLog
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.junior.family.conftest import MOBILE, last_code
from tests.bj_enrollment.junior.family.test_family_portal import log_in, pdf_text, snapshot

pytestmark = pytest.mark.django_db

RIGHT_BIRTH = "2014-03-16"


def desk(view, *args):
    return reverse(f"admin:bj_enrollment_student_{view}", args=args)


def sms_events(student) -> list[str]:
    return list(MessageLog.objects.filter(document_id=str(student.pk), recipient=MOBILE)
                .order_by("pk").values_list("event", flat=True))


def report(client, run_jobs, **fixes):
    url = reverse("portal-junior:correction")
    client.post(url, {"send_code": "1", **fixes})
    run_jobs()
    return client.post(url, {**fixes, "sms_code": last_code()})


def confirm(client, run_jobs):
    url = reverse("portal-junior:confirm")
    client.post(url, {"send_code": "1"})
    run_jobs()
    return client.post(url, {"sms_code": last_code(), "checked": "on"})


def correct_in_desk(client, student, reason, **changes):
    """What the school's reviewer does on the student's "Correct data" page: the family's report beside
    the fields, the corrected values and the reason, in one post."""
    url = desk("correct_student", student.pk)
    page = client.get(url)
    assert page.status_code == 200
    form, guardians = page.context["form"], page.context["guardians"]
    data = {name: form[name].value() or "" for name in form.fields}
    for each in (guardians.management_form, *guardians.forms):  # the guardians' rows as rendered
        data.update({each.add_prefix(name): each[name].value() or "" for name in each.fields if name != "DELETE"})
    response = client.post(url, {**data, **changes, "reason": reason})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def test_a_wrong_code_reports_nothing(client, graduate, run_jobs):
    log_in(client, graduate)
    url = reverse("portal-junior:correction")
    client.post(url, {"send_code": "1", "fix_birth_date": RIGHT_BIRTH})
    run_jobs()
    code = last_code()
    before = snapshot(graduate)
    response = client.post(url, {"fix_birth_date": RIGHT_BIRTH, "sms_code": f"{(int(code) + 1) % 1_000_000:06d}"})
    assert response.status_code == 200 and "短信验证码错误" in response.content.decode()
    assert snapshot(graduate) == before
    response = client.post(url, {"note": "", "sms_code": code})  # says nothing about what is wrong
    assert "请至少填写一项应更正为的内容" in response.content.decode()
    assert snapshot(graduate) == before


def test_report_school_corrects_with_reason_family_confirms_again(client, graduate, junior, run_jobs):
    log_in(client, graduate)
    response = report(client, run_jobs, fix_birth_date=RIGHT_BIRTH, note="以户口簿为准")
    assert response.status_code == 302
    graduate.refresh_from_db()
    assert graduate.state == "correction_requested"
    assert "出生日期：2014-03-16" in graduate.correction_request and "以户口簿为准" in graduate.correction_request
    assert "信息更正中" in client.get(reverse("portal-junior:home")).content.decode()

    # the report waits in the graduating school's queue, with what the family said
    client.force_login(junior.east_school_reviewer)
    queue = client.get(desk("changelist"), {"state__exact": "correction_requested"})
    assert [s.pk for s in queue.context["cl"].result_list] == [graduate.pk]
    assert "以户口簿为准" in client.get(desk("change", graduate.pk)).content.decode()
    assert "以户口簿为准" in client.get(desk("correct_student", graduate.pk)).content.decode()

    correct_in_desk(client, graduate, "按户口簿更正出生日期", birth_date=RIGHT_BIRTH)
    graduate.refresh_from_db()
    assert graduate.state == "awaiting_confirmation" and graduate.birth_date == dt.date(2014, 3, 16)
    record = TransitionRecord.objects.filter(object_id=str(graduate.pk), action=A.CORRECT_DATA).get()
    assert record.user == junior.east_school_reviewer and record.reason == "按户口簿更正出生日期"
    versions = list(graduate.history.order_by("history_id").values_list("birth_date", "history_change_reason"))
    assert (dt.date(2014, 3, 15), None) in versions  # the old value is kept
    assert (dt.date(2014, 3, 16), "按户口簿更正出生日期") in versions  # the new one, with the school's reason

    # the family, in its own session, confirms the corrected data
    client.logout()
    log_in(client, graduate)
    assert confirm(client, run_jobs).status_code == 302
    graduate.refresh_from_db()
    assert graduate.state == "confirmed"
    assert "2014-03-16" in pdf_text(client.get(reverse("portal-junior:print")).content)
    assert sms_events(graduate) == ["action:Report a correction", "action:Correct data", "action:Confirm data"]
    corrected = MessageLog.objects.get(document_id=str(graduate.pk), event="action:Correct data")
    assert "按户口簿更正出生日期" in corrected.text


def test_reconfirming_keeps_the_number_and_voids_the_old_verification_code(client, graduate, junior, run_jobs):
    log_in(client, graduate)
    confirm(client, run_jobs)
    first = Student.objects.get(pk=graduate.pk)
    client.force_login(junior.east_school_reviewer)
    client.post(desk("workflow_action", graduate.pk),
                {"action": A.REOPEN_FOR_CORRECTION, "reason": "家长电话告知班级有误", "state": "confirmed"})
    correct_in_desk(client, graduate, "更正班级", graduating_class="六年级2班")
    client.logout()
    log_in(client, graduate)
    cache.delete_pattern("portal:sms:*:sent")  # days later: the resend interval has long passed
    confirm(client, run_jobs)
    second = Student.objects.get(pk=graduate.pk)
    assert second.state == "confirmed" and second.graduating_class == "六年级2班"
    assert second.confirmation_number == first.confirmation_number
    assert second.verification_code != first.verification_code


def test_a_school_outside_the_scope_neither_sees_nor_corrects(client, graduate, junior, run_jobs):
    log_in(client, graduate)
    report(client, run_jobs, fix_name="李东桦")
    other = factories.staff("west-school", roles.SCHOOL_REVIEWER, school_=junior.west_primary)
    client.force_login(other)
    before = snapshot(graduate)
    queue = client.get(desk("changelist"), {"state__exact": "correction_requested"})
    assert graduate.pk not in [s.pk for s in queue.context["cl"].result_list]
    page = client.get(desk("change", graduate.pk))
    assert page.status_code in (302, 403, 404) and "李东桦" not in page.content.decode()
    response = client.post(desk("change", graduate.pk), {"name": "李东桦", "_save": "1"})
    assert response.status_code in (302, 403, 404)
    response = client.post(desk("workflow_action", graduate.pk),
                           {"action": A.CORRECT_DATA, "reason": "越权", "state": "correction_requested"})
    assert response.status_code in (302, 403, 404)
    assert client.get(desk("correct_student", graduate.pk)).status_code == 404
    response = client.post(desk("correct_student", graduate.pk), {"name": "李东桦", "reason": "越权"})
    assert response.status_code == 404
    assert snapshot(graduate) == before
    assert Student.objects.get(pk=graduate.pk).name == "李东华"


def test_the_correct_page_is_refused_while_the_family_has_not_reported(client, graduate, junior):
    client.force_login(junior.east_school_reviewer)
    before = snapshot(graduate)
    assert client.get(desk("correct_student", graduate.pk)).status_code == 403
    response = client.post(desk("correct_student", graduate.pk), {"name": "李东桦", "reason": "未经家长报告"})
    assert response.status_code == 403
    assert snapshot(graduate) == before


def test_a_correction_without_a_reason_changes_nothing(client, graduate, junior, run_jobs):
    log_in(client, graduate)
    report(client, run_jobs, fix_graduating_class="六年级2班")
    client.force_login(junior.east_school_reviewer)
    before = snapshot(graduate)
    url = desk("correct_student", graduate.pk)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url, {**data, "graduating_class": "六年级2班", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert snapshot(graduate) == before
