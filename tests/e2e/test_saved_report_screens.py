"""Saved reports in Debian's Chromium: the city administrator builds one on its desk page (DocType
first, then the columns it offers), shares it with the district reviewers; a reviewer opens it from
the reports page and reads the counts and bars of their district."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.bj_enrollment import roles
from apps.bj_enrollment.models import Application
from apps.lowcode.reports.models import SavedReport
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_build_share_and_run_a_report(new_page, live_server, live_city):
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "city")
    page.goto(f"{live_server.url}/desk/lowcode_reports/savedreport/add/")
    page.fill("input[name=name]", "各区报名状态")
    page.select_option("select[name=document_type]", str(ContentType.objects.get_for_model(Application).pk))
    with page.expect_navigation():
        page.click("input[name=_continue], button[name=_continue]")
    page.wait_for_selector("input[name=columns]")  # the columns of the chosen DocType are offered now
    assert "请至少选择一列" in page.content()
    for column in ("form_number", "district", "state"):
        page.check(f"input[name=columns][value={column}]")
    page.select_option("select[name=group_by]", "state")
    page.get_by_label(roles.DISTRICT_REVIEWER).check()
    page.screenshot(path=ARTIFACTS / "desk-saved-report-builder.png", full_page=True)
    page.click("input[name=_save], button[name=_save]")
    page.wait_for_url("**/savedreport/")
    report = SavedReport.objects.get(name="各区报名状态")
    assert report.columns == ["form_number", "district", "state"]

    reviewer = new_page(viewport={"width": 1440, "height": 900})
    desk_login(reviewer, live_server.url, "east")
    reviewer.goto(f"{live_server.url}/desk/reports/")
    reviewer.click("text=各区报名状态")
    rows = reviewer.locator("#report-rows tbody").inner_text()
    assert live_city.east_app.form_number in rows and live_city.west_app.form_number not in rows
    assert reviewer.locator("#report-groups [data-count]").all_inner_texts() == ["1"]
    reviewer.screenshot(path=ARTIFACTS / "desk-saved-report.png", full_page=True)
