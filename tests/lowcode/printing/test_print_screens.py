"""The print-format desk pages and the printed form as people see them: screenshots and a rasterised PDF."""

import subprocess

import pytest
from django.urls import reverse

from apps.bj_enrollment import printing_setup
from apps.lowcode.printing import service
from apps.lowcode.printing.models import PrintFormat
from tests.e2e.conftest import ARTIFACTS, browser, live_city, new_page  # noqa: F401  (shared browser fixtures)
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_preview_and_change_pages_show_the_form(new_page, live_server, live_city):  # noqa: F811
    printing_setup.load_default_formats()
    form = PrintFormat.objects.get(key="collection-form")
    page = new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{live_server.url}/desk/login/")
    page.fill("#id_username", "city")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/")

    preview = reverse("admin:lowcode_printing_printformat_preview", args=[form.pk])
    page.goto(f"{live_server.url}{preview}?document={live_city.east_app.form_number}")
    frame = page.frame_locator("iframe.print-preview-frame")
    assert live_city.east_app.child.name in frame.locator("body").inner_text()
    assert page.locator("a.print-preview-pdf").is_visible()
    page.screenshot(path=ARTIFACTS / "desk-print-preview.png", full_page=True)

    page.goto(f"{live_server.url}{reverse('admin:lowcode_printing_printformat_change', args=[form.pk])}")
    assert page.locator("textarea#id_template").is_visible()
    page.screenshot(path=ARTIFACTS / "desk-print-format-change.png", full_page=True)

    pdf = ARTIFACTS / "collection-form.pdf"
    pdf.write_bytes(service.render_pdf(live_city.east_app))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(ARTIFACTS / "collection-form")],  # noqa: S603, S607
                   check=True)
    assert (ARTIFACTS / "collection-form.png").stat().st_size > 20_000
