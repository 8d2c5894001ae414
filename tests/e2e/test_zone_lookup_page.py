"""The public service-zone look-up on a phone (390×844) in Debian's Chromium: a school, the R35 date
question and its answer, and "no match" with the district's hotline."""

import pytest
from django.core.cache import cache

from apps.bj_enrollment.models import Campaign
from tests.bj_enrollment.zones.conftest import build_zone_city, new_id
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def _look_up(page, address, certificate_date=None):
    page.fill("input[name=address]", address)
    if certificate_date:
        page.fill("input[name=property_certificate_date]", certificate_date)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    return page.locator("#result").inner_text()


def test_zone_look_up_page_on_a_phone(new_page, live_server, transactional_db):
    cache.delete_pattern("rl:*")  # the per-network counter: every request here comes from 127.0.0.1
    city = build_zone_city()
    Campaign.objects.filter(pk=city.campaign.pk).update(zone_lookup_limit=3)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/zones/")
    assert page.title() == "划片查询"
    page.fill("input[name=id_number]", new_id())

    text = _look_up(page, "北京市东城区东四十条甲二十二号院3号楼2单元401")
    assert "府学胡同小学" in text and "东四十条甲22号院" in text
    assert "还可查询 2 个新地址" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.screenshot(path=ARTIFACTS / "zones-result.png", full_page=True)

    text = _look_up(page, "东城区交道口南大街5号")
    assert "2020年6月30日" in text and "房产证" in text
    page.screenshot(path=ARTIFACTS / "zones-certificate-date.png", full_page=True)
    text = _look_up(page, "东城区交道口南大街5号", "2021-03-15")
    assert "和平里第一小学" in text and "和平里第四小学" in text and "电脑随机派位" in text
    page.screenshot(path=ARTIFACTS / "zones-after-cutoff.png", full_page=True)

    text = _look_up(page, "东城区东四十条161号")
    assert "010-64031234" in text and "东城区钱粮胡同2号" in text
    assert page.locator("#result a[href='tel:010-64031234']").count() == 1
    page.screenshot(path=ARTIFACTS / "zones-no-match-hotline.png", full_page=True)
