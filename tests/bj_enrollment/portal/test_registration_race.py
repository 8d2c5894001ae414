"""R9 under load: two families registering one child at the same moment (two mobiles, two codes). Both
pass every check before either writes; the second gets the usual 400 "already registered", never a 500."""

import threading

import pytest
from django.db import connections
from django.test import Client

from apps.bj_enrollment.models import Application, Child
from apps.bj_enrollment.services import registration
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.test_sms_code_spending import PASSWORD, _body

pytestmark = pytest.mark.django_db(transaction=True)

MOBILES = ("13744445555", "13744446666")


def _code(mobile, run_jobs) -> str:
    from captcha.models import CaptchaStore

    client = Client()
    key = client.get("/api/v1/captcha").json()["captcha_key"]
    body = {"mobile": mobile, "captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}
    assert client.post("/api/v1/sms-codes/registration", body, content_type="application/json").status_code == 202
    run_jobs()
    return sms.last_code(mobile)


def test_two_families_registering_one_child_at_once_get_201_and_400(city, run_jobs, monkeypatch):
    codes = {mobile: _code(mobile, run_jobs) for mobile in MOBILES}
    both_checked = threading.Barrier(2, timeout=20)
    insert = registration._insert

    def held_insert(reg):
        both_checked.wait()  # both requests passed check(): only the database can now tell them apart
        return insert(reg)

    monkeypatch.setattr(registration, "_insert", held_insert)
    answers = []

    def register(mobile):
        try:
            body = {**_body(city, "林同时", 77, codes[mobile]), "mobile": mobile, "password": PASSWORD,
                    "password2": PASSWORD}
            response = Client(raise_request_exception=False).post(
                "/api/v1/registrations", body, content_type="application/json")
            answers.append((response.status_code, response.json() if response.status_code < 500 else None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(mobile,)) for mobile in MOBILES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _body in answers) == [201, 400], answers
    (refused,) = [body for status, body in answers if status == 400]
    assert refused["errors"]["id_number"][0]["code"] == "id_registered"
    assert Child.objects.filter(name="林同时").count() == 1
    assert Application.objects.filter(child__name="林同时").count() == 1
