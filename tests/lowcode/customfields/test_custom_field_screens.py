"""Custom fields as desk users see them: the definition page, the change page's fieldset with an
error, and the list filter (screenshots in artifacts/screenshots/)."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import Application
from tests.e2e.conftest import ARTIFACTS, browser, live_city, new_page  # noqa: F401  (shared browser fixtures)
from tests.factories import PASSWORD
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.e2e


def test_desk_pages_show_custom_fields(new_page, live_server, live_city):  # noqa: F811
    define("mode", "select", label_zh="就读方式", options="走读\n住宿", show_in_list_filter=True)
    define("contact_mobile", "phone", label_zh="紧急联系人手机", required=True, help_text_zh="11 位手机号")
    define("boarding", "checkbox", label_zh="需要校车")
    define("arrival", "date", label_zh="预计到校日期")
    Application.objects.filter(pk=live_city.west_app.pk).update(custom={"mode": "走读"})
    page = new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("#id_username", "city")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")

    page.goto(f"{live_server.url}{reverse('admin:lowcode_customfields_customfield_add')}")
    page.screenshot(path=ARTIFACTS / "desk-custom-field-add.png", full_page=True)

    page.goto(f"{live_server.url}{reverse('admin:bj_enrollment_application_change', args=[live_city.east_app.pk])}")
    page.fill("[name=cf_contact_mobile]", "1390000")
    page.select_option("[name=cf_mode]", "住宿")
    page.click("button[name=_continue]")
    page.wait_for_load_state()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any(errors), "the bad mobile number was accepted"
    page.screenshot(path=ARTIFACTS / "desk-application-custom-fields.png", full_page=True)
    live_city.east_app.refresh_from_db()
    assert live_city.east_app.custom == {}

    page.goto(f"{live_server.url}{reverse('admin:bj_enrollment_application_changelist')}?cf_mode=走读")
    assert live_city.west_app.form_number in page.content()
    assert live_city.east_app.form_number not in page.content()
    page.click("[x-on\\:click='filterOpen = true']")
    assert page.locator("#changelist-filter select[name=cf_mode]").count() == 1
    page.screenshot(path=ARTIFACTS / "desk-application-custom-filter.png", full_page=True)
