"""The start page's dates and the privacy policy a family is asked to accept, on a phone, in Chromium."""

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def test_privacy_policy_on_a_phone(new_page, live_server, live_city):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/portal/")
    assert page.locator("#dates dt").count() >= 5  # R1: every stage's dates before any form
    page.screenshot(path=ARTIFACTS / "portal-start-390.png", full_page=True)
    page.goto(f"{live_server.url}/portal/register/")
    with page.context.expect_page() as opened:  # a new tab: the half-filled form stays as it is
        page.get_by_role("link", name="阅读隐私政策").click()
    policy = opened.value
    policy.wait_for_load_state()
    assert policy.url.endswith("/portal/privacy/") and "个人信息保护法" in policy.content()
    policy.set_viewport_size({"width": 390, "height": 844})
    policy.screenshot(path=ARTIFACTS / "portal-privacy-390.png", full_page=True)
