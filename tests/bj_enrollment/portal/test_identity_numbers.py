"""R9: ID numbers are checked to the region code, and a guardian's like the child's (never the child's own)."""

import pytest

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.models import Application, Guardian
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.api_tokens import logged_in
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.test_api import BIRTH, MOBILE, PASSWORD, _captcha, _post, _register, _registration

pytestmark = pytest.mark.django_db


def _code_then(client, run_jobs):
    _post(client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, **_captcha(client)})
    run_jobs()
    return sms.last_code(MOBILE)


def test_an_id_from_no_region_is_refused_and_nothing_stored(client, city, run_jobs):
    code = _code_then(client, run_jobs)
    nowhere = make_resident_id("000000", BIRTH, 12, Gender.MALE)  # check digit right, region none
    response = _post(client, "/api/v1/registrations", {**_registration(city, id_number=nowhere), "sms_code": code})
    assert response.status_code == 400
    error = response.json()["errors"]["id_number"][0]
    assert error["code"] == "id_region" and "GB/T 2260" in error["message"]
    assert not Application.objects.filter(mobile=MOBILE).exists()


def test_an_id_under_an_abolished_region_code_is_accepted(client, city, run_jobs):
    code = _code_then(client, run_jobs)
    chongwen = make_resident_id("110103", BIRTH, 12, Gender.MALE)  # 崇文区, merged into 东城区 in 2010
    response = _post(client, "/api/v1/registrations", {**_registration(city, id_number=chongwen), "sms_code": code})
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("entered", "code"),
    [("123", "id_length"), ("110105198001010017", "id_checksum"), ("child", "guardian_is_child")],
)
def test_a_guardians_id_is_checked_like_the_childs(client, city, run_jobs, entered, code):
    number = _register(client, city, run_jobs)
    application = Application.objects.get(form_number=number)
    entered = application.child.id_number if entered == "child" else entered
    draft = {"g1-name": "周大海", "g1-relationship": "father", "g1-id_number": entered, "g1-phone": MOBILE}
    response = client.put("/api/v1/application/details", draft, content_type="application/json",
                          **logged_in(client, number, PASSWORD))
    assert response.status_code == 400, response.json()
    assert [e["code"] for e in response.json()["errors"]["g1-id_number"]] == [code]
    assert not Guardian.objects.filter(application=application, id_number=entered).exists()
