"""The junior-high family API (/api/v1/junior/…, R37/R38) through HTTP: a token for education ID + name +
an SMS code, the registry data, confirmation and correction with an SMS code each, the sheet parsed
back; refusals in the API's Chinese error shape, with the data unchanged."""

import pytest
from captcha.models import CaptchaStore

from tests.bj_enrollment.junior.family.conftest import last_code
from tests.bj_enrollment.junior.family.test_family_portal import pdf_text, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/junior"


def _post(client, url, data, **extra):
    return client.post(API + url, data, content_type="application/json", **extra)


def _captcha(client) -> dict:
    key = client.get("/api/v1/captcha").json()["captcha_key"]
    return {"captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}


def _error(response, field="__all__") -> dict:
    return response.json()["errors"][field][0]


def token_for(client, run_jobs, student) -> dict:
    who = {"education_id": student.education_id, "name": student.name}
    assert _post(client, "/sms-codes/login", {**who, **_captcha(client)}).status_code == 202
    run_jobs()
    response = _post(client, "/tokens", {**who, "sms_code": last_code()})
    assert response.status_code == 201
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_token_log_in_and_the_registry_data(client, graduate, run_jobs):
    auth = token_for(client, run_jobs, graduate)
    data = client.get(API + "/student", **auth).json()
    assert data["education_id"] == graduate.education_id and data["name"] == "李东华"
    assert data["graduating_school"] == "史家胡同小学" and data["mobile"] == "139****0000"
    assert data["state"] == "awaiting_confirmation" and data["awaiting_confirmation"] is True
    assert data["state_label"] == "待家长确认" and data["can_print"] is False


def test_wrong_name_and_wrong_code_get_no_token(client, graduate, run_jobs):
    response = _post(client, "/sms-codes/login", {"education_id": graduate.education_id, "name": "李东",
                                                    **_captcha(client)})
    assert response.status_code == 400
    assert _error(response) == {"code": "junior_invalid_login",
                                "message": "没有与该教育ID和姓名相符的学生参加小升初。"}
    who = {"education_id": graduate.education_id, "name": graduate.name}
    _post(client, "/sms-codes/login", {**who, **_captcha(client)})
    run_jobs()
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    response = _post(client, "/tokens", {**who, "sms_code": wrong})
    assert response.status_code == 400 and _error(response, "sms_code")["code"] == "sms_wrong"
    assert client.get(API + "/student").status_code == 401
    assert client.get(API + "/student", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


def test_confirm_with_the_sms_code_then_print(client, graduate, run_jobs):
    auth = token_for(client, run_jobs, graduate)
    assert _post(client, "/sms-codes/confirmation", {}, **auth).status_code == 202
    run_jobs()
    code = last_code()
    before = snapshot(graduate)
    response = _post(client, "/confirmation", {"sms_code": f"{(int(code) + 1) % 1_000_000:06d}"}, **auth)
    assert response.status_code == 400 and _error(response, "sms_code")["message"] == "短信验证码错误。"
    assert snapshot(graduate) == before
    assert client.get(API + "/confirmation.pdf", **auth).status_code == 400  # not confirmed yet

    response = _post(client, "/confirmation", {"sms_code": code}, **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "confirmed" and body["confirmation_method"] == "api" and body["can_print"]
    graduate.refresh_from_db()
    pdf = client.get(API + "/confirmation.pdf", **auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert graduate.confirmation_number in text and graduate.verification_code in text


def test_report_a_correction(client, graduate, run_jobs):
    auth = token_for(client, run_jobs, graduate)
    _post(client, "/sms-codes/correction", {}, **auth)
    run_jobs()
    code = last_code()
    before = snapshot(graduate)
    response = _post(client, "/correction", {"sms_code": code, "corrections": {"birth_date": " "}}, **auth)
    assert response.status_code == 400 and _error(response, "corrections")["code"] == "junior_correction_empty"
    response = _post(client, "/correction", {"sms_code": code, "corrections": {"password": "x"}}, **auth)
    assert response.status_code == 400 and _error(response, "corrections")["code"] == "unknown"
    assert snapshot(graduate) == before
    response = _post(client, "/correction", {"sms_code": code, "corrections": {"graduating_class": "六年级2班"},
                                             "note": "转班未更新"}, **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "correction_requested"
    assert body["correction_request"] == "毕业班级：六年级2班\n转班未更新"
    response = _post(client, "/sms-codes/unknown", {}, **auth)
    assert response.status_code == 400
