"""Message templates and the log as the city administrator sees them, in Debian's Chromium."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.models import MessageLog, MessageTemplate, Status
from tests.e2e.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def login(page, base):
    page.goto(f"{base}/desk/login/")
    page.fill("#id_username", "city")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/")


def test_template_preview_and_log_screens(new_page, live_server, live_city):
    app = live_city.east_app
    template = MessageTemplate.objects.get(key="application_confirmed")
    log = MessageLog.objects.create(
        document_type=ContentType.objects.get_for_model(Application),
        document_id=str(app.pk),
        document_label=app.form_number,
        template=template,
        event=template.event,
        channel="sms",
        recipient=app.mobile,
        text="录取通知",
        status=Status.FAILED,
        attempts=3,
        error="aliyun: isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控",
    )
    page = new_page(viewport={"width": 1440, "height": 900})
    base = live_server.url
    login(page, base)

    page.goto(f"{base}/desk/lowcode_messaging/messagetemplate/{template.pk}/change/")
    page.screenshot(path=ARTIFACTS / "desk-message-template.png", full_page=True)
    page.get_by_role("link", name="预览").or_(page.get_by_role("link", name="Preview")).first.click()
    page.fill("input[name=document]", app.form_number)
    page.locator("#preview-document").press("Enter")  # the term is posted, never in a URL
    text = page.locator(".message-preview-text").inner_text()
    assert f"李东东（编号{app.form_number}）已被史家胡同小学录取" in text
    page.screenshot(path=ARTIFACTS / "desk-message-preview.png", full_page=True)

    page.goto(f"{base}/desk/lowcode_messaging/messagelog/")
    row = page.locator("#result_list tr", has_text=app.form_number)
    assert "139****5678" in row.inner_text() and app.mobile not in row.inner_text()
    page.screenshot(path=ARTIFACTS / "desk-message-log.png", full_page=True)

    page.goto(f"{base}/desk/lowcode_messaging/messagelog/{log.pk}/change/")
    body = page.locator("#content, main").first.inner_text()
    assert "139****5678" in body and app.mobile not in body and "触发分钟级流控" in body
    page.screenshot(path=ARTIFACTS / "desk-message-log-entry.png", full_page=True)
