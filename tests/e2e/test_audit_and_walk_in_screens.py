"""Who read whom, as the city administrator searches it, and a school taking in a walk-in family, in
Debian's Chromium at desktop and phone widths."""

import pytest

from apps.bj_enrollment.models import ServiceZone, ZoneArea
from apps.bj_enrollment.print_context import verification_text
from apps.bj_enrollment.zones import index as zone_index
from tests import factories
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e



@pytest.mark.parametrize("width", [1280, 390])
def test_city_admin_reads_who_opened_an_application(new_page, live_server, live_city, width):
    reviewer = new_page(viewport={"width": 1280, "height": 900})
    desk_login(reviewer, live_server.url, "east")
    reviewer.goto(f"{live_server.url}/desk/bj_enrollment/application/{live_city.east_app.pk}/change/")
    page = new_page(viewport={"width": width, "height": 900})
    desk_login(page, live_server.url, "city")
    page.goto(f"{live_server.url}/desk/lowcode_audit/personaldataaccess/")
    row = page.locator("#result_list tr", has_text="east")
    assert row.count() >= 1 and "查看" in row.first.inner_text()
    page.screenshot(path=ARTIFACTS / f"desk-personal-data-access-{width}.png", full_page=True)


def test_school_scans_a_walk_in_family(new_page, live_server, live_city):
    from apps.bj_enrollment.models import Application

    city = live_city
    other = factories.school(city.east, "和平里第九小学")
    zone = ServiceZone.objects.create(district=city.east, name="和平里多校划片", areas="", multi_school=True)
    zone.schools.set([city.east_school, other])
    ZoneArea.objects.create(zone=zone, road="和平里中街", compound="")
    zone_index.changed()
    app = factories.application(city.campaign, factories.child("吴走进"), city.east, None, mobile="13655556666")
    Application.objects.filter(pk=app.pk).update(residence_address="和平里中街3号")
    page = new_page(viewport={"width": 390, "height": 844})
    desk_login(page, live_server.url, "east-school")
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/")
    assert "吴走进" not in page.content()
    search = page.locator("input[name=q]").first
    search.fill(verification_text(app.form_number, app.verification_code))
    search.press("Enter")
    page.wait_for_url(f"**/application/{app.pk}/change/")
    assert "吴走进" in page.content()
    page.screenshot(path=ARTIFACTS / "desk-walk-in-scanned-390.png", full_page=True)
