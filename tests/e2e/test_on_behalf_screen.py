"""A district reviewer registers an over-age child for the family, in Debian's Chromium."""

import datetime as dt

import pytest

from apps.bj_enrollment.rules.identity import make_resident_id
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_register_on_behalf(new_page, live_server, live_city):
    born = live_city.campaign.cohort_start - dt.timedelta(days=200)
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    page.goto(f"{live_server.url}/desk/register-on-behalf/")
    form = page.locator("#on-behalf-form")
    form.locator("select[name=district]").select_option(str(live_city.east.pk))
    form.locator("select[name=hukou_province]").select_option("北京市")
    form.locator("select[name=hukou_district]").select_option(str(live_city.east.pk))
    form.locator("select[name=residence_district]").select_option(str(live_city.east.pk))
    form.locator("input[name=child_name]").fill("高龄童")
    form.locator("input[name=gender][value=male]").check()
    form.locator("input[name=birth_date]").fill(born.isoformat())
    form.locator("input[name=id_number]").fill(make_resident_id("110101", born, 31, "male"))
    form.locator("input[name=guardian_name]").fill("高大山")
    form.locator("input[name=mobile]").fill("13700001111")
    form.locator("select[name=case]").select_option("over_age")
    form.locator("textarea[name=note]").fill("经区教委审批同意延缓后入学")
    page.screenshot(path=ARTIFACTS / "desk-on-behalf-form.png", full_page=True)
    form.locator("button").last.click()
    page.wait_for_load_state()
    assert page.locator("#on-behalf-password").inner_text().strip()
    page.screenshot(path=ARTIFACTS / "desk-on-behalf-done.png", full_page=True)
