"""R17 and R16 from the family's side: "Submit" shows everything entered with what the registries
returned (registered address and date, owners, permit duration) and nothing moves until the family
confirms; a home the real-estate registry knows as the family's own must be entered first."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState, RegistryStatus
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.registries import simulator
from tests.api_tokens import logged_in
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.portal.test_registry_outage import PASSWORD, _form_values, _months_ago, _ready_to_submit
from tests.bj_enrollment.registries import records

pytestmark = pytest.mark.django_db


def _logged_in(client, city, **kwargs) -> Application:
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(kwargs.pop("months", 40)))
    client.post(reverse("portal:login"), {"username": family.form_number, "password": PASSWORD})
    return family


def test_submit_shows_what_the_registries_returned_and_waits_for_confirmation(client, city):
    family = _logged_in(client, city)
    prop = family.properties.get()
    simulator.store(
        simulator.REAL_ESTATE,
        {prop.certificate_number: records.certificate(prop, owners=prop.owners.split("、"), type="商品房")},
    )
    response = client.post(
        reverse("portal:details"), {**_form_values(client.get(reverse("portal:details"))), "submit": "1"}
    )
    assert response.status_code == 302 and response.url == reverse("portal:confirm_details")
    family.refresh_from_db()
    assert family.state == ApplicationState.REGISTERED and family.details_confirmed_at is None  # nothing moved yet

    page = client.get(reverse("portal:confirm_details")).content.decode()
    assert "核验系统返回的信息" in page
    assert prop.address in page and prop.certificate_date.isoformat() in page and "商品房" in page
    assert "已连续持有月数" in page and ">40<" in page  # the permit's duration as the registry counts it
    assert "确认无误，提交" in page and reverse("portal:details") in page  # confirm, or back to edit
    assert family.properties.get().registry_status == RegistryStatus.VERIFIED

    client.post(reverse("portal:confirm_details"))
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK and family.details_confirmed_at is not None
    # afterwards the read-only details page still shows what was fetched
    assert "核验系统返回的信息" in client.get(reverse("portal:details")).content.decode()


def test_confirming_data_that_a_registry_now_contradicts_is_refused_and_nothing_moves(client, city):
    family = _logged_in(client, city)
    submit_page = client.post(
        reverse("portal:details"), {**_form_values(client.get(reverse("portal:details"))), "submit": "1"}
    )
    assert submit_page.url == reverse("portal:confirm_details")
    prop = family.properties.get()
    simulator.store(simulator.REAL_ESTATE, {prop.certificate_number: records.certificate(prop, owners=["张三"])})
    response = client.post(reverse("portal:confirm_details"), follow=True)
    assert "产权人与不动产登记信息不一致" in response.content.decode()
    family.refresh_from_db()
    assert family.state == ApplicationState.REGISTERED and family.details_confirmed_at is None


def test_the_confirmation_page_is_refused_once_submitted(client, city):
    family = _logged_in(client, city)
    submit_details(client, _form_values(client.get(reverse("portal:details"))))
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK
    before = family.details_confirmed_at
    response = client.post(reverse("portal:confirm_details"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:details")
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK and family.details_confirmed_at == before


def test_a_family_owned_home_on_the_registry_must_be_entered_first(client, city):
    """R16: the family entered a rented home, but the registry knows a flat owned by guardian 1 alone."""
    family = _logged_in(client, city)
    guardian = family.guardians.get(position=1)
    own = {**records.certificate(family.properties.get()), "owner_ids": [guardian.id_number]}
    simulator.store(simulator.REAL_ESTATE, {"京(2018)东城区不动产权第0000777号": {**own, "address": "东四十条9号"}})
    response = submit_details(client, _form_values(client.get(reverse("portal:details"))))
    errors = " ".join(str(e) for e in response.context["forms"]["property"].errors.get("certificate_number", []))
    assert "京(2018)东城区不动产权第0000777号" in errors and "东四十条9号" in errors and "家庭自有住房" in errors
    family.refresh_from_db()
    assert family.state == ApplicationState.REGISTERED


def test_a_home_shared_with_someone_outside_the_family_does_not_stop_the_family(client, city):
    family = _logged_in(client, city)
    guardian = family.guardians.get(position=1)
    shared = {**records.certificate(family.properties.get()), "owner_ids": [guardian.id_number, "110101195001010013"]}
    simulator.store(simulator.REAL_ESTATE, {"京(2018)东城区不动产权第0000778号": shared})
    submit_details(client, _form_values(client.get(reverse("portal:details"))))
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK


def test_api_check_returns_what_the_registries_returned_without_submitting(client, city):
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(30))
    auth = logged_in(client, family.form_number, PASSWORD)
    response = client.post("/api/v1/application/details/check", {}, content_type="application/json", **auth)
    assert response.status_code == 200, response.json()
    body = response.json()
    prop = family.properties.get()
    assert body["properties"][0]["certificate_number"] == prop.certificate_number
    assert body["properties"][0]["address"] == prop.address and body["properties"][0]["found"] is True
    assert body["residence_permit"]["months"] == 30
    family.refresh_from_db()
    assert family.state == ApplicationState.REGISTERED
    assert client.get("/api/v1/application/details", **auth).json()["fetched"] == body
