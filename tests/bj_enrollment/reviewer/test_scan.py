"""R22/R23: the school scans the form's QR code (or types number and code) and lands on the
application, or is told the paper form does not match; out-of-scope numbers are not found."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.print_context import verification_path

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"


def test_scan_qr_url_opens_the_application(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.get(verification_path(city.east_app.form_number, city.east_app.verification_code))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])


def test_scan_typed_into_search_box_opens_the_application(client, city):
    client.force_login(city.east_school_reviewer)
    payload = verification_path(city.east_app.form_number, city.east_app.verification_code)
    response = client.get(reverse(LIST), {"q": payload})
    assert response["Location"].endswith(f"/{city.east_app.pk}/change/")
    typed = client.get(reverse(LIST), {"q": f"{city.east_app.form_number} {city.east_app.verification_code.lower()}"})
    assert typed["Location"].endswith(f"/{city.east_app.pk}/change/")


def test_scan_wrong_code_says_so(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.get(verification_path(city.east_app.form_number, "ZZZZZZ"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_scan_out_of_scope_form_not_found(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.get(verification_path(city.west_app.form_number, city.west_app.verification_code), follow=True)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert city.west_app.child.name not in response.content.decode()


def test_plain_search_still_searches(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.get(reverse(LIST), {"q": city.east_app.form_number})
    assert response.status_code == 200 and city.east_app.form_number in response.content.decode()


@pytest.mark.parametrize(
    "term",
    [
        lambda a: a.form_number,
        lambda a: a.mobile,
        lambda a: a.child.id_number,
        lambda a: a.child.id_number.lower(),
        lambda a: a.child.name[:2],
    ],
    ids=["form number", "mobile", "ID number", "ID number lower-case x", "name prefix"],
)
def test_search_by_what_reviewers_type_finds_only_in_scope(client, city, term):
    """Each shape searches its own indexed column; none reaches past the reviewer's scope."""
    client.force_login(city.east_reviewer)
    found = client.get(reverse(LIST), {"q": term(city.east_app)}).content.decode()
    assert f"/{city.east_app.pk}/change/" in found
    other = client.get(reverse(LIST), {"q": term(city.west_app)}).content.decode()
    assert f"/{city.west_app.pk}/change/" not in other and city.west_app.child.name not in other
