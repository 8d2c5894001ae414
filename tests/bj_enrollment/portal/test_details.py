"""R15-R18 through the details page: drafts, required data on submission, property and permit rules,
confirm/withdraw (R17), and the window (R1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, HukouCategory, Stage
from apps.bj_enrollment.models import Application, CampaignWindow, Guardian, Street
from apps.bj_enrollment.registries import simulator
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.registries import records

pytestmark = pytest.mark.django_db
PASSWORD = "Parent2026ok"


def _store_certificate(prop, **changes) -> None:
    simulator.store(simulator.REAL_ESTATE, {prop.certificate_number: records.certificate(prop, **changes)})


def _complete(city, **changes) -> dict:
    street = Street.objects.get_or_create(district=city.east, name="东四街道", defaults={"code": "110101003"})[0]
    data = {
        "child-ethnicity": "汉族",
        "child-hukou_address": "东城区东四十条1号",
        "residence-residence_district": city.east.pk,
        "residence-residence_street": street.pk,
        "residence-residence_address": "东四十条1号院2号楼301",
        "residence-housing_type": "rented",
        "residence-single_guardian": "on",
        "g1-name": "王大明",
        "g1-relationship": "father",
        "g1-nationality": "中国",
        "g1-id_type": "resident_id",
        "g1-id_number": "110101198805040071",
        "g1-phone": "13912345678",
        "g2-id_type": "resident_id",
        "g2-nationality": "中国",
        "property-certificate_number": "",
    }
    data.update(changes)
    return data


def test_details_draft_saves_partial_data_and_stays_registered(client, city, parent):
    response = client.post(reverse("portal:details"), {"residence-residence_address": "东四十条1号", "draft": "1"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.residence_address == "东四十条1号" and parent.state == ApplicationState.REGISTERED


def test_details_submit_incomplete_names_the_missing_fields(client, city, parent):
    response = submit_details(client, {})
    assert response.status_code == 200
    errors = {key for form in response.context["forms"].values() for key in form.errors}
    assert {"residence_address", "housing_type", "name", "phone"} <= errors
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED


def test_details_submit_complete_starts_identity_check(client, city, parent):
    response = submit_details(client, {**_complete(city)})
    assert response.status_code == 302, response.context and [f.errors for f in response.context["forms"].values()]
    parent.refresh_from_db()
    assert parent.state == ApplicationState.IDENTITY_CHECK and parent.details_confirmed_at is not None


def test_details_nonlocal_permit_too_short_refused(client, city, parent):
    Application.objects.filter(pk=parent.pk).update(hukou_category=HukouCategory.NONLOCAL)
    recent = timezone.localdate() - dt.timedelta(days=60)
    data = _complete(city, **{"g1-residence_permit_number": "110101202400001", "g1-residence_permit_since": recent})
    response = submit_details(client, {**data})
    assert "residence_permit_since" in response.context["forms"]["g1"].errors
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED


def test_details_property_not_family_owned_needs_confirmation(client, city, parent):
    data = _complete(
        city,
        **{
            "residence-housing_type": "owned",
            "property-certificate_number": "京(2020)东城区不动产权第0000001号",
            "property-owners": "王爷爷",
            "property-owner_relationship": "祖父",
            "property-address": "东四十条1号院",
            "property-district": city.east.pk,
            "property-certificate_date": "2020-01-02",
        },
    )
    response = submit_details(client, {**data})
    assert "no_family_property" in response.context["forms"]["property"].errors
    assert not parent.properties.exists()
    response = submit_details(client, {**data, "property-no_family_property": "on"})
    assert "certificate_number" in response.context["forms"]["property"].errors  # R16: not on the registry
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED

    _store_certificate(parent.properties.get())
    response = submit_details(client, {**data, "property-no_family_property": "on"})
    assert response.status_code == 302
    assert parent.properties.get().owners == "王爷爷"
    assert parent.properties.get().registry_status == "verified"


def test_details_property_owners_differ_from_registry_refused(client, city, parent):
    data = _complete(
        city,
        **{
            "residence-housing_type": "owned",
            "property-certificate_number": "京(2021)东城区不动产权第0000002号",
            "property-owners": "王大明",
            "property-owner_relationship": "父亲",
            "property-family_owned": "on",
            "property-address": "东四十条1号院",
            "property-district": city.east.pk,
            "property-certificate_date": "2021-01-02",
        },
    )
    client.post(reverse("portal:details"), {**data, "draft": "1"})
    _store_certificate(parent.properties.get(), owners=["张三"])
    response = submit_details(client, {**data})
    assert "owners" in response.context["forms"]["property"].errors
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED


def test_details_single_guardian_drops_guardian_two(client, city, parent):
    Guardian.objects.create(application=parent, position=2, name="李母", phone="13900000002")
    client.post(reverse("portal:details"), {**_complete(city), "draft": "1"})
    assert list(parent.guardians.values_list("position", flat=True)) == [1]


def test_details_withdraw_then_edit_again(client, city, parent):
    submit_details(client, {**_complete(city)})
    client.post(reverse("portal:withdraw"))
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED
    client.post(
        reverse("portal:details"), {**_complete(city, **{"residence-residence_address": "新地址8号"}), "draft": "1"}
    )
    parent.refresh_from_db()
    assert parent.residence_address == "新地址8号"


def test_details_after_submission_not_editable(client, city, parent):
    submit_details(client, {**_complete(city)})
    client.post(reverse("portal:details"), {**_complete(city, **{"residence-residence_address": "改了"}), "draft": "1"})
    parent.refresh_from_db()
    assert parent.residence_address != "改了"


def test_details_window_closed_refuses_changes(client, city, parent):
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.REGISTRATION).update(
        closes_at=timezone.now() - dt.timedelta(minutes=5)
    )
    response = client.post(reverse("portal:details"), {**_complete(city), "draft": "1"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.residence_address == ""


def test_details_custom_field_appears_is_enforced_and_kept_in_drafts(client, city, parent):
    from tests.lowcode.customfields.helpers import define

    define("school_bus", "select", label_zh="是否需要校车", options="需要\n不需要", required=True, show_in_portal=True)
    page = client.get(reverse("portal:details"))
    assert "是否需要校车" in page.content.decode() and "cf_school_bus" in page.context["forms"]["custom"].fields
    response = submit_details(client, {**_complete(city)})
    assert "cf_school_bus" in response.context["forms"]["custom"].errors
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED
    response = submit_details(client, {**_complete(city), "cf_school_bus": "坐飞机"})
    assert "cf_school_bus" in response.context["forms"]["custom"].errors  # not one of the options
    response = submit_details(client, {**_complete(city), "cf_school_bus": "需要"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.custom["school_bus"] == "需要" and parent.state == ApplicationState.IDENTITY_CHECK


def test_details_cannot_change_data_fixed_at_registration(client, city, parent):
    """R14: name, ID, birth date, gender and district are not fields of the details forms."""
    child = parent.child
    before = (child.name, child.id_number, child.birth_date, child.gender, parent.district_id)
    client.post(
        reverse("portal:details"),
        {
            **_complete(city),
            "child-name": "改名",
            "child-id_number": "110101201901010011",
            "district": city.west.pk,
            "child-gender": "female",
            "draft": "1",
        },
    )
    child.refresh_from_db()
    parent.refresh_from_db()
    assert (child.name, child.id_number, child.birth_date, child.gender, parent.district_id) == before


OWNED = {
    "residence-housing_type": "owned",
    "property-certificate_number": "京(2021)东城区不动产权第0000003号",
    "property-owners": "王大明",
    "property-owner_relationship": "父亲",
    "property-family_owned": "on",
    "property-address": "东四十条1号院",
    "property-certificate_date": "2017-01-02",
}


@pytest.mark.parametrize(
    ("registry", "field", "message"),
    [
        ({"certificate_date": "2021-01-02"}, "certificate_date", "产权证登记日期与不动产登记信息不符。"),  # back-dated
        ({"address": "东城区府学胡同36号"}, "address", "房产地址与不动产登记信息不符。"),
        ({"owners": ["王大明", "王老太"]}, "family_owned", "不动产登记的产权人不只是儿童及其父母"),
    ],
)
def test_details_property_is_what_the_registry_says(client, city, parent, registry, field, message):
    """R16/R35: a certificate back-dated before a cutoff, another address, or a grandparent among the
    owners of a 'family-owned' home is refused on submission, and nothing moves."""
    data = _complete(city, **OWNED, **{"property-district": city.east.pk})
    client.post(reverse("portal:details"), {**data, "draft": "1"})
    _store_certificate(parent.properties.get(), **registry)
    response = submit_details(client, {**data})
    errors = response.context["forms"]["property"].errors
    assert any(message in str(e) for e in errors.get(field, [])), errors
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED
    assert parent.properties.get().registry_status == "failed"


def test_after_a_failed_identity_check_the_family_withdraws_corrects_and_resubmits(client, city, parent):
    """R17: the SMS tells the family to correct and submit again; the portal lets it (not a 409)."""
    from tests import factories

    submit_details(client, {**_complete(city)})
    factories.put_in_state(parent, ApplicationState.IDENTITY_FAILED)
    page = client.get(reverse("portal:details")).content.decode()
    assert reverse("portal:withdraw") in page
    client.post(reverse("portal:withdraw"))
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED
    corrected = _complete(city, **{"residence-residence_address": "东四十条3号院1号楼101"})
    submit_details(client, {**corrected})
    parent.refresh_from_db()
    assert parent.state != ApplicationState.REGISTERED and parent.residence_address == "东四十条3号院1号楼101"


def test_after_the_window_closed_a_failed_check_cannot_be_withdrawn(client, city, parent):
    submit_details(client, {**_complete(city)})
    factories_state = ApplicationState.IDENTITY_FAILED
    Application.objects.filter(pk=parent.pk).update(state=factories_state)
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.REGISTRATION).update(
        closes_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert reverse("portal:withdraw") not in client.get(reverse("portal:details")).content.decode()
    client.post(reverse("portal:withdraw"))
    parent.refresh_from_db()
    assert parent.state == ApplicationState.IDENTITY_FAILED
    response = client.post("/api/v1/application/withdrawal", content_type="application/json")
    assert response.status_code in (400, 409) and "errors" in response.json()


def test_a_draft_posted_after_a_reviewer_moved_the_application_on_is_refused_and_saves_nothing(
        client, city, parent, monkeypatch):
    """The page was read while registered; before the save, another request moved the application
    into the identity check. The family is told the details can no longer change, and nothing of the
    post is written (R17, decided on the locked row by the save itself)."""
    from apps.bj_enrollment.portal import views

    original, moved = views.build_forms, []

    def moved_meanwhile(*args, **kwargs):
        forms_ = original(*args, **kwargs)
        if len(args) > 1 and not moved:  # the post's forms (the page after the redirect reads only)
            Application.objects.filter(pk=parent.pk).update(state=ApplicationState.IDENTITY_CHECK)
            moved.extend(Application.objects.filter(pk=parent.pk).values())  # as the workflow left it
        return forms_

    monkeypatch.setattr(views, "build_forms", moved_meanwhile)
    response = client.post(reverse("portal:details"), {"residence-residence_address": "东四十条1号", "draft": "1"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:details")
    assert "信息已提交，不能修改" in response.content.decode()
    assert moved and list(Application.objects.filter(pk=parent.pk).values()) == moved
