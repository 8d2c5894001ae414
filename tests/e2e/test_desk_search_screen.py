"""Issue 11 hole 10 in Debian's Chromium: the desk's search box posts, so neither a searched ID number
nor a scanned form's verification code appears in any URL the browser requests."""

import pytest

from apps.bj_enrollment.print_context import verification_text
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_search_and_scan_keep_personal_data_out_of_urls(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    app = live_city.east_app
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/")
    page.fill("#searchbar", app.child.id_number)
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    assert "sk=" in page.url
    assert page.locator("#result_list tr", has_text=app.form_number).count() == 1
    assert live_city.west_app.form_number not in page.locator("#result_list").inner_text()
    page.screenshot(path=ARTIFACTS / "desk-search-by-id.png", full_page=True)

    page.fill("#searchbar", verification_text(app.form_number, app.verification_code))
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    assert page.url.endswith(f"/{app.pk}/change/")
    assert not [url for url in requested if app.child.id_number in url or app.verification_code in url]
