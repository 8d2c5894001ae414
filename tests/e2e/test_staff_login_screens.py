"""Hole 4 in Debian's Chromium: the desk log-in with its authenticator-code field and the enrolment
page (QR code rendered on the server, no inline script), at phone and desktop widths, without a CSP
violation; a new staff user enrols and reaches the desk."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.bj_enrollment.staff_access.conftest import token_now
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));"""


def assert_clean(page):
    assert page.evaluate("window.__violations") == []
    assert page.problems == []


@pytest.mark.parametrize("size", SIZES)
def test_login_and_enrolment_pages(new_page, live_server, live_city, settings, size):
    settings.STAFF_2FA = True
    user = factories.staff(f"new-{size}", "学校审核员", school_=live_city.east_school)
    page = new_page(viewport=SIZES[size])
    page.add_init_script(RECORD_VIOLATIONS)
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(f"{live_server.url}/desk/login/")
    assert page.locator("#id_otp_token").is_visible()
    assert "动态验证码" in page.inner_text("#login-form")
    page.screenshot(path=ARTIFACTS / f"desk-login-2fa-{size}.png", full_page=True)
    assert_clean(page)

    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/desk/second-factor/"))
    qr = page.locator("#second-factor-qr")
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 100
    assert len(page.inner_text("#second-factor-secret").replace(" ", "")) == 32
    page.screenshot(path=ARTIFACTS / f"desk-second-factor-enrol-{size}.png", full_page=True)
    assert_clean(page)

    page.fill("#id_otp_token", token_now(TOTPDevice.objects.get(user=user)))
    page.click("#second-factor-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")
    assert TOTPDevice.objects.get(user=user).confirmed
    assert_clean(page)
