"""API v1: the same journey and the same messages as the pages, as JSON; token and session auth."""

import datetime as dt

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, Gender
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.api_tokens import logged_in
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.details_steps import api_details

pytestmark = pytest.mark.django_db

BIRTH = dt.date(timezone.localdate().year - 6, 7, 1)
MOBILE = "13911113333"
PASSWORD = "ApiParent2026"


def _captcha(client) -> dict:
    key = client.get("/api/v1/captcha").json()["captcha_key"]
    return {"captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}


def _registration(city, **changes) -> dict:
    return {
        "district": city.east.pk,
        "hukou_province": "北京市",
        "hukou_district": city.east.pk,
        "residence_district": city.east.pk,
        "child_name": "周小舟",
        "gender": Gender.MALE,
        "birth_date": BIRTH.isoformat(),
        "id_number": make_resident_id("110105", BIRTH, 12, Gender.MALE),
        "guardian_name": "周大海",
        "mobile": MOBILE,
        "password": PASSWORD,
        "password2": PASSWORD,
        "notice_read": True,
        "privacy_accepted": True,
        **changes,
    }


def _post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def _register(client, city, run_jobs) -> str:
    assert _post(client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, **_captcha(client)}).status_code == 202
    run_jobs()
    response = _post(client, "/api/v1/registrations", {**_registration(city), "sms_code": sms.last_code(MOBILE)})
    assert response.status_code == 201, response.json()
    return response.json()["form_number"]


def test_api_register_token_and_status(client, city, run_jobs):
    number = _register(client, city, run_jobs)
    status = client.get("/api/v1/application", **logged_in(client, number, PASSWORD)).json()
    assert status["form_number"] == number and status["child_name"] == "周小舟"
    assert status["state"] == ApplicationState.REGISTERED
    assert [s["status"] for s in status["steps"]][0] == "current"


def test_api_rule_violation_is_structured_and_stores_nothing(client, city, run_jobs):
    _post(client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, **_captcha(client)})
    run_jobs()
    late = city.campaign.age_cutoff + dt.timedelta(days=3)
    body = _registration(city, birth_date=late.isoformat(), id_number=make_resident_id("110105", late, 3, Gender.MALE))
    response = _post(client, "/api/v1/registrations", {**body, "sms_code": sms.last_code(MOBILE)})
    assert response.status_code == 400
    assert response.json()["errors"]["birth_date"][0]["code"] == "too_young"
    assert not Application.objects.filter(mobile=MOBILE).exists()


def test_api_wrong_captcha_is_a_field_error(client, city):
    response = _post(
        client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, "captcha_key": "0" * 40, "captcha": "x"}
    )
    assert response.status_code == 400 and "captcha" in response.json()["errors"]


def test_api_sms_rate_limit_is_429(client, city, settings):
    settings.PORTAL_RATE_LIMITS = {"sms_per_ip": "1/h"}
    assert _post(client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, **_captcha(client)}).status_code == 202
    response = _post(client, "/api/v1/sms-codes/registration", {"mobile": "13911114444", **_captcha(client)})
    assert response.status_code == 429 and response.json()["errors"]["__all__"][0]["code"] == "rate_limited"


@pytest.fixture
def api_limit_of_3(settings):
    """`api_per_ip` at 3 an hour, counted in a cache of the test's own (the counters outlive a run)."""
    settings.CACHES = {**settings.CACHES, "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.RATELIMIT_USE_CACHE = "limits"
    settings.PORTAL_RATE_LIMITS = {"api_per_ip": "3/h"}


def test_api_limit_counts_per_address_whatever_x_forwarded_for_says(client, api_limit_of_3):
    def captcha(address, forwarded):
        return client.get("/api/v1/captcha", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [captcha("10.0.0.1", f"192.0.2.{n}") for n in range(4)] == [200, 200, 200, 429]
    assert captcha("10.0.0.2", "192.0.2.1") == 200  # another address has its own count


def test_api_limit_counts_per_account_once_authenticated(client, parent, api_limit_of_3):
    def status(address):
        return client.get("/api/v1/application", REMOTE_ADDR=address)

    assert [status(f"10.0.1.{n}").status_code for n in range(3)] == [200, 200, 200]
    refused = status("10.0.1.9")
    assert refused.status_code == 429 and refused.json()["errors"]["__all__"][0]["code"] == "rate_limited"
    assert client.get("/api/v1/captcha", REMOTE_ADDR="10.0.1.9").status_code == 200  # the address is not the account


def test_api_status_requires_auth_and_shows_only_own(client, city):
    assert client.get("/api/v1/application").status_code == 401
    assert client.get("/api/v1/application", HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    status = client.get("/api/v1/application", **logged_in(client, city.east_app.form_number, PASSWORD)).json()
    assert status["form_number"] == city.east_app.form_number


def test_api_token_void_after_password_change(client, city, run_jobs):
    number = _register(client, city, run_jobs)
    auth = logged_in(client, number, PASSWORD)
    assert _post(client, "/api/v1/sms-codes/password-change", {}, **auth).status_code == 202
    run_jobs()
    new = "Another2026ok"
    body = {"sms_code": sms.last_code(MOBILE), "password": new, "password2": new}
    assert _post(client, "/api/v1/password", body, **auth).status_code == 200
    assert client.get("/api/v1/application", **auth).status_code == 401


def test_api_staff_token_refused(client, city):
    response = _post(
        client, "/api/v1/tokens", {"username": city.east_reviewer.username, "password": "Desk-Passw0rd-2026"}
    )
    assert response.status_code == 400


def test_api_openapi_document_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/registrations", "/api/v1/tokens", "/api/v1/application"} <= set(doc["paths"])


def test_api_whole_journey_details_submit_check_print(client, city, run_jobs):
    from tests.bj_enrollment.registries import records

    number = _register(client, city, run_jobs)
    auth = logged_in(client, number, PASSWORD)
    draft = api_details(city, **{"g1-name": "周大海", "g1-phone": MOBILE})
    response = client.put("/api/v1/application/details", draft, content_type="application/json", **auth)
    assert response.status_code == 200, response.json()
    assert client.get("/api/v1/application/details", **auth).json()["values"]["g1-name"] == "周大海"
    assert client.get("/api/v1/application/form.pdf", **auth).status_code == 400  # R21: not yet
    assert _post(client, "/api/v1/application/submission", {}, **auth).status_code == 200
    application = Application.objects.get(form_number=number)
    records.store_person(application.child)
    run_jobs()
    assert client.get("/api/v1/application", **auth).json()["state"] == ApplicationState.READY_TO_PRINT
    pdf = client.get("/api/v1/application/form.pdf", **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_api_submit_incomplete_lists_missing_fields(client, city, run_jobs):
    number = _register(client, city, run_jobs)
    response = _post(client, "/api/v1/application/submission", {}, **logged_in(client, number, PASSWORD))
    assert response.status_code == 400
    assert {"residence-residence_address", "g1-relationship"} <= set(response.json()["errors"])


def test_details_read_save_back_as_they_are_with_a_confirmed_non_family_home(client, city, run_jobs):
    """R16: a home not owned by the family is saved only with the family's confirmation; the values the
    API then returns carry that confirmation, so an app saving them back (one field changed) is not
    refused for it."""
    number = _register(client, city, run_jobs)
    auth = logged_in(client, number, PASSWORD)
    home = {"residence-housing_type": "owned", "property-certificate_number": "京(2020)东城区不动产权第0000001号",
            "property-owners": "王爷爷", "property-owner_relationship": "祖父", "property-address": "东四十条1号院",
            "property-district": city.east.pk, "property-certificate_date": "2020-01-02"}
    refused = client.put("/api/v1/application/details", api_details(city, **home), content_type="application/json",
                         **auth)
    assert refused.status_code == 400 and "property-no_family_property" in refused.json()["errors"]
    saved = client.put("/api/v1/application/details",
                       api_details(city, **home, **{"property-no_family_property": True}),
                       content_type="application/json", **auth)
    assert saved.status_code == 200, saved.json()
    values = client.get("/api/v1/application/details", **auth).json()["values"]
    assert values["property-no_family_property"] is True
    again = client.put("/api/v1/application/details", {**values, "residence-residence_address": "东华门大街2号"},
                       content_type="application/json", **auth)
    assert again.status_code == 200, again.json()
    application = Application.objects.get(form_number=number)
    assert application.residence_address == "东华门大街2号" and application.properties.count() == 1

