"""The desk as a reviewer sees it, in Debian's Chromium: Chinese pages, masked numbers, saved screenshots."""

import pytest

from apps.lowcode.masking import mask_id_number
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e



def test_desk_home_and_application_list(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "city")
    assert "入学服务平台" in page.title()
    # styled, not bare HTML: the theme's stylesheet arrived and applies
    assert page.evaluate("[...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)") > 200
    assert page.get_by_role("link", name="报名申请").first.is_visible()
    home = ARTIFACTS / "desk-home.png"
    page.screenshot(path=home, full_page=True)

    page.goto(f"{live_server.url}/desk/bj_enrollment/application/")
    table = page.locator("#result_list")
    for app in (live_city.east_app, live_city.west_app):
        row = table.locator("tr", has_text=app.form_number)
        assert row.count() == 1
        assert mask_id_number(app.child.id_number) in row.inner_text()
        assert app.child.id_number not in row.inner_text()
    # the state is a coloured badge, not the state's name and label as text
    badge = table.locator("td.field-state_badge span").first
    assert badge.is_visible() and "_" not in badge.inner_text()
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    listing = ARTIFACTS / "desk-application-list.png"
    page.screenshot(path=listing, full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    phone = ARTIFACTS / "desk-application-list-phone.png"
    page.screenshot(path=phone, full_page=False)
    for shot in (home, listing, phone):
        assert shot.stat().st_size > 20_000, f"{shot.name} looks empty"


def test_school_reviewer_list_holds_only_the_school(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1280, "height": 800})
    desk_login(page, live_server.url, "east-school")
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/")
    text = page.locator("#result_list").inner_text()
    assert live_city.east_app.form_number in text
    assert live_city.west_app.form_number not in text
    sidebar = page.locator("#nav-sidebar-inner, nav").first.inner_text()
    assert "报名申请" in sidebar and "用户" not in sidebar and "特殊类别" not in sidebar
    page.screenshot(path=ARTIFACTS / "desk-school-reviewer-list.png", full_page=True)


def test_statistics_page_for_a_district_reviewer(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    page.goto(f"{live_server.url}/desk/statistics/")
    table = page.locator("#district-by-state").inner_text()
    assert "东城区" in table and "西城区" not in table
    page.screenshot(path=ARTIFACTS / "desk-statistics.png", full_page=True)


def test_application_change_page_with_workflow_buttons(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east-school")
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/{live_city.east_app.pk}/change/")
    page.get_by_role("button", name="预录取").click()
    page.wait_for_load_state()
    assert "预录取" in page.locator(".workflow-actions").inner_text()
    page.screenshot(path=ARTIFACTS / "desk-application-workflow.png", full_page=True)
