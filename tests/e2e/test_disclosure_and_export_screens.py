"""The public disclosure page on a phone and the registry-export page in the desk, in Debian's Chromium."""

import pytest

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, DisclosureRelease, SchoolPlan
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_disclosure_page_on_a_phone(new_page, live_server, live_city):
    SchoolPlan.objects.create(campaign=live_city.campaign, school=live_city.east_school, seats=45)
    Application.objects.filter(pk=live_city.east_app.pk).update(state=ApplicationState.CONFIRMED)
    DisclosureRelease.objects.create(campaign=live_city.campaign, district=live_city.east,
                                     released_by=live_city.east_reviewer)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server.url}/disclosure/school/{live_city.east_school.code}/")
    table = page.locator("#disclosure-admitted").inner_text()
    assert "李*东" in table and live_city.east_app.child.name not in table
    page.screenshot(path=ARTIFACTS / "disclosure-school.png", full_page=True)


def test_registry_export_page(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    page.goto(f"{live_server.url}/desk/registry-export/")
    assert "学籍导出" in page.title()
    assert page.locator("#registry-export-form select[name=district] option").count() == 2  # blank + 东城区
    page.screenshot(path=ARTIFACTS / "desk-registry-export.png", full_page=True)
