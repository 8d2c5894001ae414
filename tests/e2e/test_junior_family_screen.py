"""The family confirms a graduate's data on a phone (390×844, R37): log in with education ID and name,
read the registry data, request the SMS code, confirm, open the confirmation sheet. Screenshots in
artifacts/screenshots/junior-family-*.png."""

import subprocess

import django_rq
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from apps.bj_enrollment.models import Student
from tests import factories
from tests.bj_enrollment.junior.family.conftest import last_code
from tests.bj_enrollment.portal import sms
from tests.e2e.conftest import ARTIFACTS, run_queued_jobs, screenshot

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def log_in(page, base: str, student) -> None:
    page.goto(f"{base}/portal/junior/login/")
    page.fill("#id_education_id", student.education_id)
    page.fill("#id_name", student.name)
    page.click("button[type=submit]")


def test_family_confirms_on_a_phone(new_page, live_server, live_city, settings, tmp_path):
    settings.SMS_ADAPTER = "locmem"
    cache.delete_pattern("*")
    sms.clear()
    django_rq.get_queue("default").empty()
    campaign = factories.junior_campaign()
    student = factories.student(campaign, live_city.east_school, "李东华", state="awaiting_confirmation",
                                education_id="G110101000000000001")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    base = live_server.url

    page.goto(f"{base}/portal/junior/")
    expect(page.locator("h1")).to_have_text("核对小学毕业生信息")
    page.fill("#id_education_id", student.education_id)
    page.fill("#id_name", "李东华")
    screenshot(page, "junior-family-1-login")
    page.click("button[type=submit]")
    expect(page.locator("#student-status")).to_contain_text("待家长确认")
    expect(page.locator("#student-data")).to_contain_text("史家胡同小学")
    screenshot(page, "junior-family-2-data")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    page.get_by_role("link", name="数据无误，确认").click()
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.locator(".messages")).to_contain_text("139****0000")
    run_queued_jobs()
    page.fill("#id_sms_code", last_code())
    page.check("#id_checked")
    screenshot(page, "junior-family-3-confirm")
    page.get_by_role("button", name="确认（签字）").click()
    expect(page.locator(".messages")).to_contain_text("信息已确认")
    expect(page.locator("#student-status")).to_contain_text("家长已确认")
    screenshot(page, "junior-family-4-confirmed")
    student.refresh_from_db()
    assert student.state == "confirmed" and student.confirmation_method == "portal"

    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'c.pdf'; "
            "document.body.appendChild(a); a.click(); }",
            f"{base}/portal/junior/confirmation.pdf",
        )
    pdf = tmp_path / "c.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(ARTIFACTS / "junior-family-5-sheet")],
                   check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert student.confirmation_number in text and student.verification_code in text
    assert Student.objects.get(pk=student.pk).confirmed_at is not None


def test_family_reports_what_is_wrong_on_a_phone(new_page, live_server, live_city, settings):
    settings.SMS_ADAPTER = "locmem"
    cache.delete_pattern("*")
    sms.clear()
    django_rq.get_queue("default").empty()
    student = factories.student(factories.junior_campaign(), live_city.east_school, "李东华",
                                state="awaiting_confirmation", education_id="G110101000000000002")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    base = live_server.url
    log_in(page, base, student)
    page.get_by_role("link", name="报告有误信息").click()
    page.fill("#id_fix_birth_date", "2014-03-16")
    page.fill("#id_note", "以户口簿为准")
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.locator("#id_fix_birth_date")).to_have_value("2014-03-16")  # kept while the code is sent
    run_queued_jobs()
    page.fill("#id_sms_code", last_code())
    screenshot(page, "junior-family-6-report")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="发送报告").click()
    expect(page.locator("#student-status")).to_contain_text("信息更正中")
    expect(page.locator("#student-status")).to_contain_text("出生日期：2014-03-16")
    screenshot(page, "junior-family-7-reported")
    assert Student.objects.get(pk=student.pk).state == "correction_requested"


def test_family_applies_to_a_private_school_on_a_phone(new_page, live_server, live_city, settings):
    """R43 on a phone: from the junior home page's link, apply to a private school with the SMS code."""
    from apps.bj_enrollment.choices import Ownership
    from apps.bj_enrollment.models import PrivateApplication, School

    settings.SMS_ADAPTER = "locmem"
    cache.delete_pattern("*")
    sms.clear()
    django_rq.get_queue("default").empty()
    student = factories.student(factories.junior_campaign(), live_city.east_school, "李东华", state="confirmed",
                                education_id="G110101000000000003")
    School.objects.create(district=live_city.east, name="东城民办实验中学", code="1101019901", offers_primary=False,
                          offers_junior=True, ownership=Ownership.PRIVATE)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    base = live_server.url
    log_in(page, base, student)
    page.locator("#private-link").click()
    expect(page.locator("h1")).to_have_text("民办学校报名")
    expect(page.locator("#private-applications")).to_contain_text("尚未报名民办学校")
    page.get_by_role("button", name="发送短信验证码至 139****0000").click()
    run_queued_jobs()
    page.fill("#private-code", last_code())
    screenshot(page, "junior-private-1-apply")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator("#private-applications")).to_contain_text("东城民办实验中学")
    screenshot(page, "junior-private-2-applied")
    assert PrivateApplication.objects.get(student=student).state == "applied"
