"""R23 in the browser: a school reviewer finds an application by its form number, sees the preset
reasons, pre-admits it, and the plan's seats update."""

import pytest

from apps.bj_enrollment.models import Application, SchoolPlan
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_school_reviewer_pre_admits_by_form_number(new_page, live_server, live_city):
    SchoolPlan.objects.create(campaign=live_city.campaign, school=live_city.east_school, seats=30)
    number = live_city.east_app.form_number
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east-school")
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/")
    page.fill("#searchbar", number)
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=number).first.click()
    page.wait_for_load_state()
    assert page.locator("#workflow-reason-preset option", has_text="不属于本校服务片区").count() == 1
    page.screenshot(path=ARTIFACTS / "desk-school-application.png", full_page=True)
    page.get_by_role("button", name="预录取").click()
    page.wait_for_load_state()
    assert "预录取" in page.locator(".workflow-actions").inner_text()
    assert Application.objects.get(pk=live_city.east_app.pk).state == "pre_admitted"
    page.goto(f"{live_server.url}/desk/bj_enrollment/schoolplan/")
    row = page.locator("#result_list tbody tr").first.inner_text()
    assert "史家胡同小学" in row and "30" in row and "29" in row  # 1 taken, 29 left
    page.screenshot(path=ARTIFACTS / "desk-school-plan-after.png", full_page=True)


def test_plan_import_error_report(new_page, live_server, live_city, tmp_path):
    bad = tmp_path / "plans.csv"
    year = live_city.campaign.year
    bad.write_text(f"招生年度,学校代码,计划数\n{year},{live_city.east_school.code},45\n{year},{live_city.west_school.code},30\n"
                   f"{year},{live_city.east_school.code},四十\n", encoding="utf-8-sig")
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    page.goto(f"{live_server.url}/desk/bj_enrollment/schoolplan/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    errors = page.locator("#import-errors").inner_text()
    assert "3" in errors and "4" in errors and not SchoolPlan.objects.exists()
    page.screenshot(path=ARTIFACTS / "desk-plan-import-errors.png", full_page=True)
