"""#13 fault 11 from the family's side: a print format that fails on its application answers the
portal with a page and the API with its JSON error, never a 500, and the failure is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from apps.bj_enrollment import error_codes, printing_setup
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application
from apps.lowcode.printing.models import PrintFailure, PrintFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def printable(parent):
    """The logged-in family's application, ready to print, with a collection form that passes the
    desk's sample check but divides by its (absent) second guardian's name length."""
    printing_setup.load_default_formats()
    form = PrintFormat.objects.get(key="collection-form")
    form.template = "<p>{{ form_number }}</p>\n<p>{{ 100 // (guardian2.name|length) }}</p>"
    form.full_clean()
    form.save()
    Application.objects.filter(pk=parent.pk).update(state=ApplicationState.READY_TO_PRINT)
    return Application.objects.get(pk=parent.pk)


def _unchanged(app: Application) -> dict:
    return Application.objects.filter(pk=app.pk).values().get()


def test_portal_answers_a_failing_format_with_a_page_and_records_it(client, printable):
    before = _unchanged(printable)
    response = client.get(reverse("portal:print"), follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert str(error_codes.PRINT_ERROR.message) in response.content.decode()
    failure = PrintFailure.objects.get()
    assert (failure.print_format.key, failure.object_id) == ("collection-form", str(printable.pk))
    assert "ZeroDivisionError" in failure.error
    assert _unchanged(printable) == before


def test_api_answers_a_failing_format_with_its_json_error_and_records_it(client, printable):
    before = _unchanged(printable)
    response = client.get("/api/v1/application/form.pdf")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"errors": {"__all__": [
        {"code": "print_error", "message": gettext(str(error_codes.PRINT_ERROR.message))}]}}
    assert PrintFailure.objects.get().object_id == str(printable.pk)
    assert _unchanged(printable) == before


def test_portal_prints_again_once_the_format_is_fixed(client, printable):
    form = PrintFormat.objects.get(key="collection-form")
    form.template = "<p>{{ form_number }}</p>"
    form.full_clean()
    form.save()
    response = client.get(reverse("portal:print"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not PrintFailure.objects.exists()
