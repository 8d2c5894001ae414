"""A district's lottery draw in the desk and the public zone look-up on a phone, in Debian's Chromium."""

import django_rq
import pytest

from apps.bj_enrollment.lottery import runs
from apps.bj_enrollment.models import Campaign, LotteryRun
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.lottery.test_runs import SEED, build_draw_city
from tests.e2e.conftest import ARTIFACTS, desk_login, run_queued_jobs

pytestmark = pytest.mark.e2e


def test_lottery_draw_page_with_fairness_report(new_page, live_server, live_city):
    django_rq.get_queue("default").empty()
    city = build_draw_city(live_city)
    run = runs.create_run(
        city.east_reviewer, campaign=city.campaign, district=city.east, zone=city.zone, mode="zone",
        title="2026年和平里多校划片派位",
    )
    runs.commit_input(run, city.east_reviewer)
    page = new_page(viewport={"width": 1440, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    desk_login(page, live_server.url, "east")
    url = f"{live_server.url}/desk/bj_enrollment/lotteryrun/{run.pk}/change/"
    response = page.goto(url)
    assert response.status == 200, page.inner_text("body")[:2000]
    page.fill("input[name=seed]", SEED)
    page.get_by_role("button", name="公布种子承诺值").click()
    page.wait_for_load_state()
    page.fill("input[name=seed]", SEED)
    page.get_by_role("button", name="开始派位").click()
    page.wait_for_load_state()
    run_queued_jobs()
    page.wait_for_selector("#fairness-priority", timeout=15000)  # the page polls and reloads when done
    assert LotteryRun.objects.get(pk=run.pk).state == LotteryRun.State.DONE
    assert "和平里第一小学\t6\t6" in page.locator("#lottery-schools").inner_text()
    page.screenshot(path=ARTIFACTS / "desk-lottery-run.png", full_page=True)


def test_zone_look_up_on_a_phone(new_page, live_server, live_city):
    from tests.bj_enrollment.lottery.test_runs import SEATS  # noqa: F401 - same city as the lottery

    city = build_draw_city(live_city)
    Campaign.objects.filter(pk=city.campaign.pk).update(zone_lookup_limit=0, active=True)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server.url}/zones/")
    child_id = make_resident_id("110101", city.campaign.age_cutoff.replace(month=3, day=1), 5, "male")
    page.fill("input[name=id_number]", child_id)
    page.fill("input[name=address]", "北京市东城区和平里东街11号院3号楼2单元401")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    text = page.inner_text("body")
    assert "和平里第一小学" in text and "电脑随机派位" in text
    page.screenshot(path=ARTIFACTS / "zones-multi-school.png", full_page=True)
    page.fill("input[name=address]", "东城区东四十条161号")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert "010" in page.inner_text("body") or "联系" in page.inner_text("body")
    page.screenshot(path=ARTIFACTS / "zones-no-match.png", full_page=True)
