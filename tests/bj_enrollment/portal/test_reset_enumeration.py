"""#11.9: the forgotten-password steps answer a stranger exactly as they answer the family (no account
enumeration), each step behind an image code; log-in failures count on the normal account number."""

import datetime as dt

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.urls import reverse

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.conftest import captcha_answer

pytestmark = pytest.mark.django_db

PASSWORD = "Parent2026ok"
NEW = "Reset2026okay"
STRANGER = "13000000000"
UNREGISTERED_ID = make_resident_id("110101", dt.date(2020, 2, 2), 88, Gender.MALE)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def family(city) -> Application:
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    return Application.objects.get(pk=city.east_app.pk)


def _captcha(client) -> dict:
    key = client.get("/api/v1/captcha").json()["captcha_key"]
    return {"captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _ask_code(client, identifier, mobile):
    body = {"identifier": identifier, "mobile": mobile, **_captcha(client)}
    return _post(client, "/api/v1/sms-codes/password-reset", body)


def _reset(client, identifier, mobile, code, password=NEW, captcha=True):
    body = {"identifier": identifier, "mobile": mobile, "sms_code": code, "password": password, "password2": password}
    return _post(client, "/api/v1/password-resets", {**body, **(_captcha(client) if captcha else {})})


def _answer(response) -> tuple:
    return response.status_code, response.json()


def _unchanged(family) -> bool:
    return User.objects.get(pk=family.account_id).check_password(PASSWORD)


def test_api_code_request_answers_alike_and_sends_only_to_a_match(client, family, run_jobs):
    asked = [(family.form_number, family.mobile), (family.form_number, STRANGER), (UNREGISTERED_ID, family.mobile)]
    first = [_answer(_ask_code(client, *pair)) for pair in asked]
    assert first == [(202, {"ok": True})] * 3
    again = [_ask_code(client, *pair) for pair in asked]  # the same resend interval, match or not
    assert {(r.status_code, r.json()["errors"]["__all__"][0]["code"]) for r in again} == {(400, "sms_wait")}
    run_jobs()
    assert len(sms.texts_to(family.mobile)) == 1 and sms.texts_to(STRANGER) == []


def test_api_reset_answers_alike_for_match_and_mismatch(client, family, run_jobs):
    match, mismatch = (family.child.id_number, family.mobile), (UNREGISTERED_ID, family.mobile)
    # no code asked for: "expired" either way
    assert _answer(_reset(client, *match, "123456")) == _answer(_reset(client, *mismatch, "123456"))
    # a weak password: the same password error, before anything tells the two apart
    weak = [_reset(client, *pair, "123456", password="weak") for pair in (match, mismatch)]
    assert _answer(weak[0]) == _answer(weak[1]) and "password" in weak[0].json()["errors"]
    # a code asked for, then a wrong one: "wrong" either way
    assert _ask_code(client, *match).status_code == _ask_code(client, *mismatch).status_code == 202
    run_jobs()
    wrong = "000000" if sms.last_code(family.mobile) != "000000" else "111111"
    answers = [_reset(client, *pair, wrong) for pair in (match, mismatch)]
    assert _answer(answers[0]) == _answer(answers[1])
    assert answers[0].status_code == 400 and answers[0].json()["errors"]["sms_code"][0]["code"] == "sms_wrong"
    assert _unchanged(family)


def test_api_reset_needs_a_captcha_even_with_the_right_code(client, family, run_jobs):
    assert _ask_code(client, family.form_number, family.mobile).status_code == 202
    run_jobs()
    code = sms.last_code(family.mobile)
    response = _reset(client, family.form_number, family.mobile, code, captcha=False)
    assert response.status_code == 400 and _unchanged(family)
    wrong_image = {"captcha_key": _captcha(client)["captcha_key"], "captcha": "WRONG"}
    body = {"identifier": family.form_number, "mobile": family.mobile, "sms_code": code, "password": NEW}
    response = _post(client, "/api/v1/password-resets", {**body, "password2": NEW, **wrong_image})
    assert response.status_code == 400 and "captcha" in response.json()["errors"] and _unchanged(family)
    assert _reset(client, family.form_number, family.mobile, code).status_code == 200  # the code was not spent
    assert User.objects.get(pk=family.account_id).check_password(NEW)


def _page_answer(response) -> tuple:
    context = response.context
    return (
        response.status_code,
        [str(m) for m in context["messages"]],
        context["lookup"].errors.get_json_data(),
        context["form"].errors.get_json_data(),
    )


def test_portal_answers_alike_for_match_and_mismatch(client, family, run_jobs):
    url = reverse("portal:forgot_password")
    answers = {}
    for name, identifier in (("match", family.form_number), ("mismatch", UNREGISTERED_ID)):
        lookup = {"identifier": identifier, "mobile": family.mobile}
        page = client.get(url).content.decode()
        sent = client.post(url, {**lookup, **captcha_answer(page), "send_code": "1"})
        step2 = {**lookup, "sms_code": "999999", "password": NEW, "password2": NEW}
        reset = client.post(url, {**step2, **captcha_answer(sent.content.decode())})
        answers[name] = (_page_answer(sent), _page_answer(reset))
    assert answers["match"] == answers["mismatch"]
    (_status, messages, _lookup, _form), (_status2, _m2, _l2, form_errors) = answers["match"]
    assert messages == ["短信验证码已发送至 139****5678。"] and list(form_errors) == ["sms_code"]
    run_jobs()
    assert len(sms.texts_to(family.mobile)) == 1 and _unchanged(family)


def test_api_login_failures_count_on_the_normal_account_number(client, family):
    number = family.form_number
    for variant in (f" {number}", number.translate(FULL_WIDTH)):
        response = _post(client, "/api/v1/tokens", {"username": variant, "password": "Wrong2026pass"})
        assert response.json()["errors"]["__all__"][0]["code"] == "invalid_login"
    for variant in (f" {number} ", number.translate(FULL_WIDTH), number):  # two failures: the captcha is due
        response = _post(client, "/api/v1/tokens", {"username": variant, "password": PASSWORD})
        assert response.status_code == 400 and "captcha" in response.json()["errors"]
    response = _post(client, "/api/v1/tokens", {"username": f" {number}", "password": PASSWORD, **_captcha(client)})
    assert response.status_code == 201
