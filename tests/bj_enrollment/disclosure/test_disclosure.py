"""R28: plans and admitted lists with masked names, public only while the district's release is live."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, DisclosureRelease, SchoolPlan
from apps.bj_enrollment.reports.disclosure import mask_form_number
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admitted(city):
    SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=45)
    second = factories.application(city.campaign, factories.child("欧阳小明"), city.east, city.east_school,
                                   mobile="13600000002")
    Application.objects.filter(pk__in=[city.east_app.pk, second.pk, city.west_app.pk]).update(
        state=ApplicationState.CONFIRMED
    )
    city.second = second
    return city


def pages(client, city):
    return {
        "district": client.get(reverse("disclosure:district", args=[city.east.code])),
        "school": client.get(reverse("disclosure:school", args=[city.east_school.code])),
        "pdf": client.get(reverse("disclosure:school_pdf", args=[city.east_school.code])),
    }


def release_in_desk(client, city):
    client.force_login(city.east_reviewer)
    response = client.post(reverse("admin:bj_enrollment_disclosurerelease_add"),
                           {"campaign": city.campaign.pk, "district": city.east.pk, "note": "经区教委审定"})
    assert response.status_code == 302
    client.logout()
    return DisclosureRelease.objects.get(district=city.east)


def test_hidden_before_release_shown_after_and_hidden_again_after_withdrawal(client, admitted):
    assert {name: r.status_code for name, r in pages(client, admitted).items()} == dict.fromkeys(
        ("district", "school", "pdf"), 404
    )
    release = release_in_desk(client, admitted)
    assert release.released_by == admitted.east_reviewer
    shown = pages(client, admitted)
    assert all(r.status_code == 200 for r in shown.values())
    assert admitted.east_school.name in shown["district"].content.decode()
    assert admitted.east.name in client.get(reverse("disclosure:index")).content.decode()
    client.force_login(admitted.east_reviewer)
    client.post(reverse("admin:bj_enrollment_disclosurerelease_changelist"),
                {"action": "withdraw", "_selected_action": [release.pk]})
    client.logout()
    assert all(r.status_code == 404 for r in pages(client, admitted).values())
    release.refresh_from_db()
    assert release.withdrawn_at is not None  # kept, stamped
    # the other district never released: its pages were never public
    assert client.get(reverse("disclosure:school", args=[admitted.west_school.code])).status_code == 404


def test_no_full_name_or_number_on_the_page_or_in_the_pdf(client, admitted):
    release_in_desk(client, admitted)
    shown = pages(client, admitted)
    page = shown["school"].content.decode()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(shown["pdf"].content)).pages)
    for document in (page, text):
        assert "45" in document
        assert "李*东" in document and "欧**明" in document
        for app in (admitted.east_app, admitted.second):
            assert app.child.name not in document
            assert app.form_number not in document and app.child.id_number not in document
        assert mask_form_number(admitted.east_app.form_number) in document
    assert "赵*西" not in page  # another district's child


def test_a_reviewer_releases_only_their_district(client, admitted):
    client.force_login(admitted.east_reviewer)
    response = client.post(reverse("admin:bj_enrollment_disclosurerelease_add"),
                           {"campaign": admitted.campaign.pk, "district": admitted.west.pk})
    assert response.status_code in (200, 403)
    assert not DisclosureRelease.objects.exists()
    west_release = DisclosureRelease.objects.create(
        campaign=admitted.campaign, district=admitted.west,
        released_by=factories.staff("west-r", roles.DISTRICT_REVIEWER, district_=admitted.west),
    )
    listing = client.get(reverse("admin:bj_enrollment_disclosurerelease_changelist")).content.decode()
    assert f"/{west_release.pk}/change/" not in listing
    change = client.get(reverse("admin:bj_enrollment_disclosurerelease_change", args=[west_release.pk]))
    assert change.status_code in (302, 404)


def test_school_reviewers_cannot_release(client, admitted):
    client.force_login(admitted.east_school_reviewer)
    assert client.get(reverse("admin:bj_enrollment_disclosurerelease_add")).status_code == 403
