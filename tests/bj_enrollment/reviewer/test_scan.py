"""R22/R23: the school scans the form's QR code (or types number and code) into the desk's search box,
which posts, and lands on the application, or is told the paper form does not match; out-of-scope
numbers are not found. The code never travels in a URL (issue 11 hole 10)."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.print_context import verification_text

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def search(client, term, **filters):
    """What the desk's search box does: post the term (with the filters in force as hidden fields)."""
    return client.post(reverse(LIST), {"_search": "1", "q": term, **filters})


def test_scan_typed_into_search_box_opens_the_application(client, city):
    client.force_login(city.east_school_reviewer)
    response = search(client, verification_text(city.east_app.form_number, city.east_app.verification_code))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])
    typed = search(client, f"{city.east_app.form_number} {city.east_app.verification_code.lower()}")
    assert typed["Location"].endswith(f"/{city.east_app.pk}/change/")


def test_scan_of_an_older_forms_url_still_opens_the_application(client, city):
    """Forms printed before carried the list URL with the code: opened or typed, it still verifies."""
    app = city.east_app
    old = f"{reverse(LIST)}?q={app.form_number}&verification_code={app.verification_code}"
    client.force_login(city.east_school_reviewer)
    assert client.get(old)["Location"].endswith(f"/{app.pk}/change/")
    assert search(client, "http://testserver" + old)["Location"].endswith(f"/{app.pk}/change/")


def test_scan_wrong_code_says_so(client, city):
    client.force_login(city.east_school_reviewer)
    typed = verification_text(city.east_app.form_number, "ZZZZZZ")
    response = client.post(reverse(LIST), {"_search": "1", "q": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_scan_out_of_scope_form_not_found(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.post(
        reverse(LIST),
        {"_search": "1", "q": verification_text(city.west_app.form_number, city.west_app.verification_code)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert city.west_app.child.name not in response.content.decode()


def test_plain_search_still_searches(client, city):
    client.force_login(city.east_school_reviewer)
    response = search(client, city.east_app.form_number)
    assert response.status_code == 302 and city.east_app.form_number not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and f"/{city.east_app.pk}/change/" in page.content.decode()


@pytest.mark.parametrize(
    "term",
    [
        lambda a: a.form_number,
        lambda a: a.mobile,
        lambda a: a.child.id_number,
        lambda a: a.child.id_number.lower(),
        lambda a: a.child.id_number.translate(FULL_WIDTH),
        lambda a: f"{a.mobile[:3]}-{a.mobile[3:7]} {a.mobile[7:]}".translate(FULL_WIDTH),
        lambda a: a.child.name[:2],
    ],
    ids=["form number", "mobile", "ID number", "ID number lower-case x", "full-width ID", "spaced mobile", "name"],
)
def test_search_by_what_reviewers_type_finds_only_in_scope(client, city, term):
    """Each shape searches its own indexed column; none reaches past the reviewer's scope."""
    client.force_login(city.east_reviewer)
    found = client.get(search(client, term(city.east_app))["Location"]).content.decode()
    assert f"/{city.east_app.pk}/change/" in found
    other = client.get(search(client, term(city.west_app))["Location"]).content.decode()
    assert f"/{city.west_app.pk}/change/" not in other and city.west_app.child.name not in other
