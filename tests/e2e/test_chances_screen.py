"""The public high-school chances page (/chances/, R42) in Debian's Chromium on a phone and a desk
screen: the bars are drawn in the page's blue (not the black an SVG falls back to when its colour is
refused), no CSP violation, the wording in Chinese from the catalogue."""

import pytest

from apps.bj_enrollment.models import HighSchoolEntry
from tests import factories
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_chances_page_bars_are_blue(new_page, live_server, live_city, width, height):
    for name, district, shares in (("东城实验中学", live_city.east, (121, 105, 98)),
                                   ("西城育才中学", live_city.west, (40, 52, 61))):
        school = factories.junior_school(district, name)
        for year, entrants in zip((2023, 2024, 2025), shares, strict=True):
            HighSchoolEntry.objects.create(school=school, year=year, graduates=220, quality_entrants=entrants)
    page = new_page(viewport={"width": width, "height": height}, is_mobile=width < 500)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/chances/")
    assert page.locator("h1").inner_text() == "初中毕业生升入优质高中比例"
    assert page.locator("#chances-search button").inner_text() == "查询"
    fills = page.locator("svg.chances-chart rect.bar").evaluate_all(
        "bars => bars.map(b => getComputedStyle(b).fill)")
    assert len(fills) == 6 and set(fills) == {"rgb(29, 90, 166)"}  # --blue, not black
    assert "55.0%" in page.locator("#chances-none, .school-chances").first.inner_text()
    assert page.evaluate("window.__violations") == []
    screenshot(page, f"chances-{width}")
