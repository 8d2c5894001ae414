"""A parent on a phone, in Debian's Chromium: register → details → submit → (identity check runs in
the worker) → print. Screenshots of every step at phone width in artifacts/screenshots/portal-*.png."""

import datetime as dt
import re
import subprocess

import django_rq
import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from apps.bj_enrollment.choices import ApplicationState, Gender
from apps.bj_enrollment.models import Application, Street
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.portal import sms
from tests.e2e.conftest import ARTIFACTS, run_queued_jobs, screenshot

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
MOBILE = "13522223333"
PASSWORD = "Family2026ok"


def _captcha(page) -> str:
    key = page.locator("input[name=captcha_0]").first.get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


def test_parent_registers_fills_details_and_prints(new_page, live_server, live_city, settings, tmp_path):
    settings.SMS_ADAPTER = "locmem"
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry")}
    sms.clear()
    django_rq.get_queue("default").empty()
    birth = dt.date(timezone.localdate().year - 6, 2, 14)
    id_number = make_resident_id("110101", birth, 88, Gender.MALE)
    street = Street.objects.create(district=live_city.east, name="东四街道", code="110101003")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    base = live_server.url

    page.goto(f"{base}/portal/")
    screenshot(page, "portal-1-start")
    page.get_by_role("link", name="东城区").click()

    page.select_option("#id_hukou_province", "北京市")
    page.select_option("#id_hukou_district", str(live_city.east.pk))
    page.select_option("#id_residence_district", str(live_city.east.pk))
    page.fill("#id_child_name", "刘小川")
    page.check("input[name=gender][value=male]")
    page.fill("#id_birth_date", birth.isoformat())
    page.fill("#id_id_number", id_number)
    page.fill("#id_guardian_name", "刘大山")
    page.fill("#id_mobile", MOBILE)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    expect(page.locator("#id_notice_read")).to_be_enabled(timeout=15_000)  # no eval under the page's CSP
    page.check("#id_notice_read")
    page.check("#id_privacy_accepted")
    page.fill("input[name=captcha_1]", _captcha(page))
    screenshot(page, "portal-2-register-form")
    with page.expect_navigation():
        page.click("#send-code")
    run_queued_jobs()
    page.fill("#id_sms_code", sms.last_code(MOBILE))
    page.click("button[name=register]")
    page.wait_for_url(f"{base}/portal/registered/")
    number = page.locator("#form-number").inner_text().strip()
    assert re.fullmatch(r"\d{8}", number)
    screenshot(page, "portal-3-registered")

    page.get_by_role("link", name="登录").last.click()
    page.fill("#id_username", number)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/portal/home/")
    screenshot(page, "portal-4-home")

    page.click("text=填报信息")
    page.fill("#id_residence-residence_address", "东四十条3号院1号楼201")
    page.select_option("#id_residence-housing_type", "rented")
    page.check("#id_residence-single_guardian")
    page.fill("#id_g1-name", "刘大山")
    page.select_option("#id_g1-relationship", "father")
    page.fill("#id_g1-id_number", make_resident_id("110101", dt.date(1987, 3, 3), 12, Gender.MALE))
    page.fill("#id_g1-phone", MOBILE)
    with page.expect_navigation():
        page.click("button[name=draft]")  # the street list follows the district once saved
    page.select_option("#id_residence-residence_street", str(street.pk))
    screenshot(page, "portal-5-details")
    page.click("button[name=submit]")
    page.wait_for_url(f"{base}/portal/details/confirm/")  # R17: everything entered, read back, then confirmed
    screenshot(page, "portal-5b-confirm")
    page.get_by_role("button", name="确认无误，提交").click()
    page.wait_for_url(f"{base}/portal/home/")
    assert Application.objects.get(form_number=number).state == ApplicationState.IDENTITY_CHECK
    screenshot(page, "portal-6-submitted")

    _feed_population_registry(Application.objects.get(form_number=number))
    run_queued_jobs()  # the identity check job against the registry simulator
    assert Application.objects.get(form_number=number).state == ApplicationState.READY_TO_PRINT
    page.reload()
    screenshot(page, "portal-7-ready-to-print")
    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'f.pdf'; "
            "document.body.appendChild(a); a.click(); }",
            f"{base}/portal/form.pdf",
        )
    pdf = tmp_path / "form.pdf"
    download.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(ARTIFACTS / "portal-8-form")], check=True
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "刘小川" in text and number in text


def _feed_population_registry(application):
    from tests.bj_enrollment.registries import records

    records.store_person(application.child)
