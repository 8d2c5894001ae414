"""The family's pages under /portal/junior/ (R37/R38), through HTTP: log-in with education ID and name,
confirmation with an SMS code, the confirmation sheet parsed back, and the family session kept apart
from the primary parents' accounts."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.bj_enrollment.models import Student
from apps.lowcode.messaging.models import MessageLog
from tests.bj_enrollment.junior.family.conftest import MOBILE, last_code
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.conftest import captcha_answer

pytestmark = pytest.mark.django_db

WRONG = "没有与该教育ID和姓名相符的学生参加小升初。"


def log_in(client, student, name=None, **extra):
    data = {"education_id": student.education_id, "name": student.name if name is None else name, **extra}
    return client.post(reverse("portal-junior:login"), data)


def snapshot(student) -> tuple:
    row = Student.objects.get(pk=student.pk)
    return (row.state, row.confirmed_at, row.confirmation_method, row.confirmation_number, row.verification_code,
            row.correction_request, row.history.count())


def test_log_in_with_education_id_and_name_shows_the_registry_data(client, graduate):
    response = log_in(client, graduate, name=" 李 东华 ")  # spaces typed inside the name do not matter
    assert response.status_code == 302 and response["Location"] == reverse("portal-junior:home")
    page = client.get(reverse("portal-junior:home")).content.decode()
    assert graduate.education_id in page and "李东华" in page and "史家胡同小学" in page
    assert "139****0000" in page and MOBILE not in page  # the mobile on file is masked
    assert "数据无误，确认" in page and "报告有误信息" in page


@pytest.mark.parametrize("how", ["wrong_name", "unknown_id"])
def test_wrong_name_or_unknown_id_is_refused_alike(client, graduate, how):
    if how == "wrong_name":
        response = log_in(client, graduate, name="李东")
    else:
        unknown = {"education_id": "G119999000000000001", "name": "李东华"}
        response = client.post(reverse("portal-junior:login"), unknown)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get(reverse("portal-junior:home"))["Location"] == reverse("portal-junior:login")


def test_repeated_failures_ask_for_a_captcha_then_lock_the_education_id(client, graduate, settings):
    settings.PORTAL_RATE_LIMITS = {"login_failures": "3/15m"}
    log_in(client, graduate, name="错一")
    page = log_in(client, graduate, name="错二").content.decode()
    assert 'name="captcha_0"' in page  # after two failures, as on the parents' log-in
    without = log_in(client, graduate).content.decode()  # the right name, but no image code
    assert 'name="captcha_0"' in without
    assert client.get(reverse("portal-junior:home"))["Location"] == reverse("portal-junior:login")
    page = log_in(client, graduate, name="错三", **captcha_answer(without)).content.decode()
    assert WRONG in page
    page = log_in(client, graduate, name="错四", **captcha_answer(page)).content.decode()
    assert WRONG in page
    response = log_in(client, graduate, **captcha_answer(page))
    assert response.status_code == 200
    assert "该教育ID错误次数过多" in response.content.decode()  # even the right name, while locked
    assert client.get(reverse("portal-junior:home"))["Location"] == reverse("portal-junior:login")


def test_the_family_session_is_not_a_parent_account(client, graduate):
    log_in(client, graduate)
    assert client.get(reverse("portal:home"))["Location"] == reverse("portal:login")
    client.post(reverse("portal-junior:logout"))
    assert client.get(reverse("portal-junior:home"))["Location"] == reverse("portal-junior:login")


def test_confirming_needs_the_sms_code_sent_to_the_mobile_on_file(client, graduate, run_jobs):
    log_in(client, graduate)
    url = reverse("portal-junior:confirm")
    client.post(url, {"send_code": "1"})
    run_jobs()
    code = last_code()
    before = snapshot(graduate)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(url, {"sms_code": wrong, "checked": "on"})
    assert response.status_code == 200 and "短信验证码错误" in response.content.decode()
    assert snapshot(graduate) == before  # refused: nothing signed

    response = client.post(url, {"sms_code": code, "checked": "on"})
    assert response.status_code == 302
    graduate.refresh_from_db()
    assert graduate.state == "confirmed" and graduate.confirmed_at is not None
    assert graduate.confirmation_method == "portal"
    assert len(graduate.confirmation_number) == 8 and len(graduate.verification_code) == 6
    log = MessageLog.objects.get(document_id=str(graduate.pk), event="action:Confirm data")
    assert log.recipient == MOBILE and graduate.confirmation_number in log.text
    page = client.get(reverse("portal-junior:home")).content.decode()
    assert "打印确认单" in page and "数据无误，确认" not in page


def test_a_used_code_cannot_confirm_twice_and_a_confirmed_student_cannot_be_confirmed(client, graduate, run_jobs):
    log_in(client, graduate)
    url = reverse("portal-junior:confirm")
    client.post(url, {"send_code": "1"})
    run_jobs()
    code = last_code()
    client.post(url, {"sms_code": code, "checked": "on"})
    before = snapshot(graduate)
    response = client.post(url, {"sms_code": code, "checked": "on"})
    assert response.status_code == 200
    assert snapshot(graduate) == before


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_confirmation_sheet_is_printed_with_number_code_and_signature_lines(client, graduate, run_jobs):
    log_in(client, graduate)
    assert client.get(reverse("portal-junior:print"))["Location"] == reverse("portal-junior:home")  # not yet
    client.post(reverse("portal-junior:confirm"), {"send_code": "1"})
    run_jobs()
    client.post(reverse("portal-junior:confirm"), {"sms_code": last_code(), "checked": "on"})
    graduate.refresh_from_db()
    response = client.get(reverse("portal-junior:print"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for shown in ("小学毕业生信息确认单", graduate.education_id, "李东华", graduate.confirmation_number,
                  graduate.verification_code, "监护人签字", "史家胡同小学"):
        assert shown in text, shown


def test_outside_the_confirmation_window_nothing_is_signed(client, graduate, run_jobs):
    from django.utils import timezone

    from apps.bj_enrollment.models import CampaignWindow

    log_in(client, graduate)
    url = reverse("portal-junior:confirm")
    client.post(url, {"send_code": "1"})
    run_jobs()
    CampaignWindow.objects.filter(campaign=graduate.campaign, stage="graduate_confirmation").update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    before = snapshot(graduate)
    response = client.post(url, {"sms_code": last_code(), "checked": "on"})
    assert "小学毕业生信息确认目前未开放" in response.content.decode()
    assert snapshot(graduate) == before


def test_a_paper_signature_outside_the_window_is_refused_too(graduate):
    """The school records a sheet signed on paper through the same service: the window holds there as well."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from apps.bj_enrollment.choices import ConfirmationMethod
    from apps.bj_enrollment.models import CampaignWindow
    from apps.bj_enrollment.services import junior_family

    CampaignWindow.objects.filter(campaign=graduate.campaign, stage="graduate_confirmation").update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    before = snapshot(graduate)
    with pytest.raises(ValidationError, match="小学毕业生信息确认目前未开放"):
        junior_family.record_confirmation(graduate, ConfirmationMethod.PAPER)
    assert snapshot(graduate) == before


def test_data_not_yet_open_for_confirmation_cannot_be_signed(client, junior, run_jobs):
    student = junior.east_student  # still being prepared by the school (imported)
    log_in(client, student)
    page = client.get(reverse("portal-junior:home")).content.decode()
    assert "学校正在准备毕业生信息" in page and "数据无误，确认" not in page
    sent = client.post(reverse("portal-junior:confirm"), {"send_code": "1"}).content.decode()
    run_jobs()
    assert "该学生的信息目前不在待家长确认状态" in sent and sms.texts_to(MOBILE) == []  # no code to sign with
    before = snapshot(student)
    response = client.post(reverse("portal-junior:confirm"), {"sms_code": "123456", "checked": "on"})
    assert "该学生的信息目前不在待家长确认状态" in response.content.decode()
    assert snapshot(student) == before
