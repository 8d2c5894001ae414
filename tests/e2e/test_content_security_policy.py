"""Issue 11, hole 3, in Debian's Chromium: under the Content-Security-Policy the portal, the desk, the
zone look-up and the API docs load without a single violation, and still work (the registration
notice counts down, the desk's Alpine.js filter panel opens, Swagger UI renders). A custom field's
<script> help text shows as text and never runs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, desk_login
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.e2e

# Installed by the browser before any page script, so the policy cannot block it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
window.alert = (text) => window.__violations.push(`alert ran: ${text}`);
"""


@pytest.fixture
def watched_page(new_page):
    """A page that records CSP violations (event and console) and script errors."""

    def make(**kwargs):
        page = new_page(**kwargs)
        page.add_init_script(RECORD_VIOLATIONS)
        page.problems = []
        # (failed requests are new_page's to report: it forgives only the favicon)
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}")
                if (m.type == "error" and not m.text.startswith("Failed to load resource"))
                or "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        return page

    return make


def assert_clean(page):
    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert page.problems == [], page.problems


def _login(page, base, username):
    desk_login(page, base, username)
    assert_clean(page)


def test_portal_start_and_registration_notice_countdown(watched_page, live_server, live_city):
    page = watched_page(viewport={"width": 390, "height": 844})
    response = page.goto(f"{live_server.url}/portal/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_clean(page)
    page.goto(f"{live_server.url}/portal/register/")
    box = page.locator("#id_notice_read")
    assert box.is_disabled()
    label = page.locator("#field-notice_read span")
    first = label.inner_text()
    expect(label).not_to_have_text(first, timeout=5_000)  # the countdown runs from portal.js
    assert_clean(page)


def test_desk_login_filter_panel_and_application_page(watched_page, live_server, live_city):
    define("bus", "select", label_zh="是否需要校车<script>alert(1)</script>",
           help_text_zh="<script>alert(2)</script><img src=x onerror=alert(3)>", options="需要\n不需要",
           show_in_desk=True, show_in_list_filter=True)
    base = live_server.url
    page = watched_page(viewport={"width": 1280, "height": 900})
    _login(page, base, "city")
    assert_clean(page)

    page.goto(f"{base}/desk/bj_enrollment/application/")
    panel = page.locator("#changelist-filter")
    assert not panel.is_visible()
    page.locator("#changelist a").filter(has=page.locator("span", has_text="filter_list")).first.click()
    panel.wait_for(state="visible")  # Alpine.js evaluated x-on:click under the desk's policy
    assert "是否需要校车<script>alert(1)</script>" in panel.inner_text()
    assert_clean(page)

    url = f"{base}/desk/bj_enrollment/application/{live_city.east_app.pk}/change/"
    page.goto(url)
    assert "<script>alert(2)</script><img src=x onerror=alert(3)>" in page.locator("body").inner_text()
    assert page.locator(".workflow-actions").is_visible()
    assert_clean(page)
    desktop = ARTIFACTS / "csp-desk-application-1280.png"
    page.screenshot(path=desktop, full_page=True)

    # the template previews: the print format in its script-less frame, the message as text
    from apps.lowcode.messaging.models import MessageTemplate
    from apps.lowcode.printing.models import PrintFormat

    form = PrintFormat.objects.get(key="collection-form")
    page.goto(f"{base}/desk/lowcode_printing/printformat/{form.pk}/preview/")
    frame = page.frame_locator("iframe.print-preview-frame")
    frame.locator("body").wait_for()
    assert live_city.east_app.form_number not in frame.locator("body").inner_text()  # sample data only
    template = MessageTemplate.objects.get(key="application_pre_admitted")
    page.goto(f"{base}/desk/lowcode_messaging/messagetemplate/{template.pk}/preview/")
    assert page.locator(".message-preview-text").is_visible()
    assert_clean(page)

    phone = watched_page(viewport={"width": 390, "height": 844})
    _login(phone, base, "city")
    phone.goto(url)
    assert_clean(phone)
    narrow = ARTIFACTS / "csp-desk-application-390.png"
    phone.screenshot(path=narrow, full_page=True)
    for shot in (desktop, narrow):
        assert shot.stat().st_size > 20_000, f"{shot.name} looks empty"


def test_zone_lookup_and_api_docs(watched_page, live_server, live_city):
    page = watched_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/zones/")
    header = page.locator("header").first
    assert header.evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(29, 90, 166)"  # zones.css applied
    assert_clean(page)

    docs = watched_page(viewport={"width": 1280, "height": 900})
    docs.goto(f"{live_server.url}/api/v1/docs")
    docs.locator(".swagger-ui .info .title").wait_for()
    assert docs.locator(".opblock").count() > 5
    assert_clean(docs)
