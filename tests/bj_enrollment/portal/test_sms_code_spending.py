"""#13.8 and #13.9 on real Redis and MariaDB (committed transactions): one SMS code registers one child
even when two registrations race with it, and a database failure during the save does not spend it."""

import datetime as dt
import threading

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, connections
from django.test import Client
from django.utils import timezone

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.models import Application, Child, Guardian
from apps.bj_enrollment.portal import sms_codes
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db(transaction=True)

BIRTH = dt.date(timezone.localdate().year - 6, 3, 1)
MOBILE = "13733334444"
PASSWORD = "Parent2026ok"


def _body(city, name: str, sequence: int, code: str) -> dict:
    return {
        "district": city.east.pk,
        "hukou_province": "北京市",
        "hukou_district": city.east.pk,
        "residence_district": city.east.pk,
        "child_name": name,
        "gender": Gender.FEMALE,
        "birth_date": BIRTH.isoformat(),
        "id_number": make_resident_id("110101", BIRTH, sequence, Gender.FEMALE),
        "guardian_name": "陈大年",
        "mobile": MOBILE,
        "sms_code": code,
        "password": PASSWORD,
        "password2": PASSWORD,
        "notice_read": True,
        "privacy_accepted": True,
    }


def _code(client, run_jobs) -> str:
    key = client.get("/api/v1/captcha").json()["captcha_key"]
    body = {"mobile": MOBILE, "captcha_key": key, "captcha": CaptchaStore.objects.get(hashkey=key).response}
    assert client.post("/api/v1/sms-codes/registration", body, content_type="application/json").status_code == 202
    run_jobs()
    return sms.last_code(MOBILE)


def _rows() -> tuple:
    return Child.objects.count(), Application.objects.count(), User.objects.count(), Guardian.objects.count()


def _register(client, body):
    return client.post("/api/v1/registrations", body, content_type="application/json")


def test_two_registrations_racing_with_one_code_register_one_child(city, run_jobs, monkeypatch):
    """Siblings on one mobile (R10 allows three accounts), one code: both requests are held right after
    reading the code's entry, so they meet where a read-compare-delete lets both through."""
    code = _code(Client(), run_jobs)
    both_read = threading.Barrier(2, timeout=10)
    digest = sms_codes._digest

    def held_digest(text):
        both_read.wait()
        return digest(text)

    monkeypatch.setattr(sms_codes, "_digest", held_digest)
    answers = []

    def register(name, sequence):
        try:
            response = _register(Client(), _body(city, name, sequence, code))
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            answers.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=pair) for pair in (("陈小一", 51), ("陈小二", 52))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _body in answers) == [201, 400], answers
    (refused,) = [body for status, body in answers if status == 400]
    assert refused["errors"]["sms_code"][0]["code"] == "sms_expired"
    assert Application.objects.filter(mobile=MOBILE).count() == 1
    assert Child.objects.filter(name__in=["陈小一", "陈小二"]).count() == 1


def test_a_database_error_during_the_save_leaves_the_code_usable(city, run_jobs):
    """The save fails after the child, application and account rows were written (the guardian insert):
    all of it is rolled back, and the family registers at once with the code it already has."""
    client = Client(raise_request_exception=False)
    code = _code(client, run_jobs)
    before = _rows()
    failed = []

    def guardian_insert_fails_once(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO `bj_enrollment_guardian`") and not failed:
            failed.append(sql)
            raise IntegrityError("injected: the database refused the write")
        return execute(sql, params, many, context)

    body = _body(city, "陈小三", 53, code)
    with connection.execute_wrapper(guardian_insert_fails_once):
        response = _register(client, body)
    assert failed and response.status_code == 500
    assert _rows() == before

    response = _register(client, body)
    assert response.status_code == 201, response.json()
    application = Application.objects.get(form_number=response.json()["form_number"])
    assert application.child.name == "陈小三" and application.guardians.get().phone == MOBILE
    again = _register(client, _body(city, "陈小四", 54, code))  # spent now that the save committed
    assert again.status_code == 400 and again.json()["errors"]["sms_code"][0]["code"] == "sms_expired"


@pytest.mark.django_db
def test_wrong_codes_are_counted_and_the_fifth_drops_the_code(city, run_jobs):
    """The tries are one atomic counter per issued code; after MAX_TRIES wrong ones even the right code
    is refused, and nothing is registered."""
    client = Client()
    code = _code(client, run_jobs)
    wrong = "000000" if code != "000000" else "111111"
    body = _body(city, "陈小五", 55, wrong)
    codes = [_register(client, body).json()["errors"]["sms_code"][0]["code"] for _ in range(sms_codes.MAX_TRIES)]
    assert codes == ["sms_wrong"] * (sms_codes.MAX_TRIES - 1) + ["sms_tries"]
    refused = _register(client, {**body, "sms_code": code})
    assert refused.json()["errors"]["sms_code"][0]["code"] == "sms_expired"
    assert not Child.objects.filter(name="陈小五").exists()
