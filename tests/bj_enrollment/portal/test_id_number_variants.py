"""#11.8: an ID number has one normal form (full-width folded to ASCII) and only ASCII digits, so a variant
of a registered ID is either the same ID or refused, at registration through the page and the API."""

import datetime as dt
import time

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, Gender
from apps.bj_enrollment.models import Application, Child, Guardian
from apps.bj_enrollment.portal.views import SESSION_NOTICE
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db

BIRTH = dt.date(timezone.localdate().year - 6, 4, 9)
MOBILE, OTHER_MOBILE = "13722223333", "13722224444"
PASSWORD = "Parent2026ok"
ID = make_resident_id("110101", BIRTH, 41, Gender.MALE)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
CHARACTERS_MESSAGE = "居民身份证号码只能由数字 0-9 组成"


def arabic_variant(number: str) -> str:
    """The sweep's ID: one digit of the birth date written in Arabic-Indic (int() still reads it)."""
    return number[:10] + number[10].translate(ARABIC_INDIC) + number[11:]


def _form(city, **changes) -> dict:
    return {
        "district": city.east.pk,
        "nationality": "中国",
        "hukou_province": "北京市",
        "hukou_district": city.east.pk,
        "residence_district": city.east.pk,
        "child_name": "马小跳",
        "gender": Gender.MALE,
        "birth_date": BIRTH.isoformat(),
        "id_type": "resident_id",
        "id_number": ID,
        "guardian_name": "马天笑",
        "mobile": MOBILE,
        "sms_code": "000000",  # the rules are checked before the code: a refused form never reaches it
        "password": PASSWORD,
        "password2": PASSWORD,
        "notice_read": "on",
        "privacy_accepted": "on",
        **changes,
    }


def _open_form(client) -> str:
    page = client.get(reverse("portal:register")).content.decode()
    session = client.session
    session[SESSION_NOTICE] = time.time() - 11
    session.save()
    return page


def _counts() -> tuple:
    return Child.objects.count(), Application.objects.count(), User.objects.count()


def _api_register(client, city, run_jobs=None, mobile=MOBILE, **changes):
    """POST /api/v1/registrations; with `run_jobs`, after requesting a real SMS code first."""
    if run_jobs:
        key = client.get("/api/v1/captcha").json()["captcha_key"]
        body = {"mobile": mobile, "captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}
        response = client.post("/api/v1/sms-codes/registration", body, content_type="application/json")
        assert response.status_code == 202, response.json()
        run_jobs()
        changes["sms_code"] = sms.last_code(mobile)
    changes["mobile"] = mobile
    body = {**_form(city, **changes), "notice_read": True, "privacy_accepted": True}
    return client.post("/api/v1/registrations", body, content_type="application/json")


def test_arabic_indic_digit_in_the_id_is_refused_on_the_page(client, city):
    before = _counts()
    _open_form(client)
    response = client.post(reverse("portal:register"), _form(city, id_number=arabic_variant(ID)))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["id_number"]] == ["id_characters"]
    assert CHARACTERS_MESSAGE in response.content.decode()
    assert _counts() == before


def test_arabic_indic_digit_in_the_id_is_refused_by_the_api(client, city):
    before = _counts()
    response = _api_register(client, city, id_number=arabic_variant(ID))
    assert response.status_code == 400
    (error,) = response.json()["errors"]["id_number"]
    assert error["code"] == "id_characters" and CHARACTERS_MESSAGE in error["message"]
    assert _counts() == before


def test_full_width_twin_of_a_registered_id_is_already_registered(client, city, run_jobs):
    response = _api_register(client, city, run_jobs)
    assert response.status_code == 201, response.json()
    assert Child.objects.get(name="马小跳").id_number == ID
    before = _counts()

    twin = ID.translate(FULL_WIDTH)
    # #11.9: without a code sent to one's own mobile, nothing tells whether an ID is registered
    response = _api_register(client, city, id_number=f" {twin} ", mobile=OTHER_MOBILE)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["sms_code"]
    response = _api_register(client, city, run_jobs, id_number=f" {twin} ", mobile=OTHER_MOBILE)
    assert response.status_code == 400
    (error,) = response.json()["errors"]["id_number"]
    assert error["code"] == "id_registered" and "该证件号码本年度已注册" in error["message"]

    _open_form(client)
    code = sms.last_code(OTHER_MOBILE)  # a refusal does not use the code up
    response = client.post(reverse("portal:register"), _form(city, id_number=twin, mobile=OTHER_MOBILE, sms_code=code))
    assert response.status_code == 200
    assert "该证件号码本年度已注册" in response.content.decode()
    assert _counts() == before
    assert list(Child.objects.filter(name="马小跳").values_list("id_number", flat=True)) == [ID]


def test_a_full_width_mobile_counts_as_the_same_mobile(client, city):
    """R10 counts accounts per mobile on the normal form too: the form hands the service ASCII digits."""
    _open_form(client)
    response = client.post(
        reverse("portal:register"), _form(city, mobile=MOBILE.translate(FULL_WIDTH), id_number=arabic_variant(ID))
    )
    assert response.context["form"].cleaned_data["mobile"] == MOBILE
    response = client.post(reverse("portal:register"), _form(city, mobile=MOBILE[:-1] + "٣"))
    assert "mobile" in response.context["form"].errors


def test_a_guardians_id_is_kept_in_its_normal_form_and_other_scripts_refused(client, city):
    """Guardian 1's ID (asked of the residence-permit registry) through the details page's draft."""
    Application.objects.filter(pk=city.east_app.pk).update(state=ApplicationState.REGISTERED)
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    client.post(reverse("portal:login"), {"username": city.east_app.form_number, "password": PASSWORD})
    guardian_id = make_resident_id("110101", dt.date(1988, 5, 4), 9, Gender.MALE)
    draft = {"g1-name": "李大东", "g1-nationality": "中国", "g1-id_type": "resident_id", "g1-phone": "13912345678"}
    before = Guardian.objects.get(application=city.east_app, position=1).id_number

    response = client.post(reverse("portal:details"), {**draft, "g1-id_number": arabic_variant(guardian_id)})
    assert response.status_code == 200 and CHARACTERS_MESSAGE in response.content.decode()
    assert Guardian.objects.get(application=city.east_app, position=1).id_number == before

    response = client.post(reverse("portal:details"), {**draft, "g1-id_number": guardian_id.translate(FULL_WIDTH)})
    assert response.status_code == 302
    assert Guardian.objects.get(application=city.east_app, position=1).id_number == guardian_id
