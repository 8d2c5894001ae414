"""The parent's journey through real HTTP (test client), real captcha, real SMS codes through the
SMS adapter's local backend after an RQ worker ran the send job."""

import datetime as dt
import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, Gender
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.portal.views import SESSION_NOTICE
from apps.bj_enrollment.rules.identity import make_resident_id
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.conftest import captcha_answer

pytestmark = pytest.mark.django_db

BIRTH = dt.date(timezone.localdate().year - 6, 5, 20)
MOBILE = "13611112222"
PASSWORD = "Parent2026ok"


def _form(city, **changes) -> dict:
    data = {
        "district": city.east.pk,
        "nationality": "中国",
        "hukou_province": "北京市",
        "hukou_district": city.east.pk,
        "residence_district": city.east.pk,
        "child_name": "孙 小 雨",
        "gender": Gender.FEMALE,
        "birth_date": BIRTH.isoformat(),
        "id_type": "resident_id",
        "id_number": make_resident_id("110101", BIRTH, 77, Gender.FEMALE).lower(),
        "guardian_name": "孙大伟",
        "mobile": MOBILE,
        "password": PASSWORD,
        "password2": PASSWORD,
        "notice_read": "on",
        "privacy_accepted": "on",
    }
    data.update(changes)
    return data


def _open_form(client) -> str:
    page = client.get(reverse("portal:register")).content.decode()
    session = client.session
    session[SESSION_NOTICE] = time.time() - 11  # the parent read the notice for 11 s
    session.save()
    return page


def _request_code(client, run_jobs, city, page: str, **changes) -> str:
    response = client.post(
        reverse("portal:register"), {**_form(city, **changes), **captcha_answer(page), "send_code": "1"}
    )
    assert response.status_code == 200
    run_jobs()
    return response.content.decode()


def test_register_journey_then_login_and_status(client, city, run_jobs):
    page = _open_form(client)
    page = _request_code(client, run_jobs, city, page)
    code = sms.last_code(MOBILE)
    response = client.post(reverse("portal:register"), {**_form(city), "sms_code": code})
    assert response.status_code == 302 and response["Location"] == reverse("portal:registered")
    application = Application.objects.get(child__name="孙小雨")
    assert application.state == ApplicationState.REGISTERED
    assert application.form_number in client.get(reverse("portal:registered")).content.decode()
    run_jobs()
    assert any(application.form_number in text for text in sms.texts_to(MOBILE)), sms.texts_to(MOBILE)

    client.logout()
    response = client.post(reverse("portal:login"), {"username": application.form_number, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("portal:home")).content.decode()
    assert "孙小雨" in home and application.form_number in home


def test_register_wrong_captcha_sends_nothing(client, city, run_jobs):
    _open_form(client)
    response = client.post(
        reverse("portal:register"), {**_form(city), "captcha_0": "0" * 40, "captcha_1": "xxxx", "send_code": "1"}
    )
    run_jobs()
    assert response.status_code == 200 and sms.texts_to(MOBILE) == []
    assert "孙 小 雨" in response.content.decode()  # what the parent typed is still there


def test_register_second_code_within_resend_interval_refused(client, city, run_jobs):
    page = _request_code(client, run_jobs, city, _open_form(client))
    page = _request_code(client, run_jobs, city, page)
    assert len(sms.texts_to(MOBILE)) == 1
    assert "秒后" in page or "seconds" in page


def test_register_wrong_sms_code_stores_nothing_and_keeps_input(client, city, run_jobs):
    _request_code(client, run_jobs, city, _open_form(client))
    code = sms.last_code(MOBILE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("portal:register"), {**_form(city), "sms_code": wrong})
    assert response.status_code == 200 and not Application.objects.filter(mobile=MOBILE).exists()
    assert "孙 小 雨" in response.content.decode()


def test_register_rule_violation_keeps_the_sms_code_usable(client, city, run_jobs):
    _request_code(client, run_jobs, city, _open_form(client))
    code = sms.last_code(MOBILE)
    response = client.post(reverse("portal:register"), {**_form(city, district=city.west.pk), "sms_code": code})
    assert response.status_code == 200 and not Application.objects.filter(mobile=MOBILE).exists()
    response = client.post(reverse("portal:register"), {**_form(city), "sms_code": code})
    assert response.status_code == 302


def test_register_notice_not_read_long_enough_refused(client, city, run_jobs):
    page = client.get(reverse("portal:register")).content.decode()
    client.post(reverse("portal:register"), {**_form(city), **captcha_answer(page), "send_code": "1"})
    run_jobs()
    response = client.post(reverse("portal:register"), {**_form(city), "sms_code": sms.last_code(MOBILE)})
    assert response.status_code == 200 and not Application.objects.filter(mobile=MOBILE).exists()


def test_login_captcha_after_failures_then_lockout(client, city, settings):
    settings.PORTAL_RATE_LIMITS = {"login_failures": "4/15m"}
    user = User.objects.create_user("24000001", password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    page = client.get(reverse("portal:login")).content.decode()
    assert "captcha_0" not in page
    for _ in range(2):
        page = client.post(reverse("portal:login"), {"username": "24000001", "password": "wrong"}).content.decode()
    assert "captcha_0" in page
    for _ in range(3):
        page = client.post(
            reverse("portal:login"), {"username": "24000001", "password": "wrong", **captcha_answer(page)}
        ).content.decode()
    response = client.post(
        reverse("portal:login"), {"username": "24000001", "password": PASSWORD, **captcha_answer(page)}
    )
    assert response.status_code == 200  # locked, even with the right password
    assert not response.wsgi_request.user.is_authenticated


def test_login_staff_account_refused_on_portal(client, city):
    response = client.post(reverse("portal:login"), {"username": city.east_reviewer.username, "password": "x"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def _parent(client, city) -> Application:
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    client.post(reverse("portal:login"), {"username": city.east_app.form_number, "password": PASSWORD})
    return Application.objects.get(pk=city.east_app.pk)


def test_change_password_with_sms_code(client, city, run_jobs):
    application = _parent(client, city)
    client.post(reverse("portal:change_password"), {"send_code": "1"})
    run_jobs()
    code = sms.last_code(application.mobile)
    new = "Changed2026ok"
    response = client.post(reverse("portal:change_password"), {"sms_code": code, "password": new, "password2": new})
    assert response.status_code == 302
    assert User.objects.get(username=application.form_number).check_password(new)


def test_forgot_password_by_id_number_and_mobile(client, city, run_jobs):
    application = _parent(client, city)
    client.logout()
    page = client.get(reverse("portal:forgot_password")).content.decode()
    lookup = {"identifier": application.child.id_number, "mobile": application.mobile}
    page = client.post(reverse("portal:forgot_password"), {**lookup, **captcha_answer(page), "send_code": "1"})
    run_jobs()
    code = sms.last_code(application.mobile)
    new = "Reset2026okay"
    step2 = {**lookup, "sms_code": code, "password": new, "password2": new}
    response = client.post(reverse("portal:forgot_password"), step2)  # the second step needs its image code too
    assert response.status_code == 200 and "captcha" in response.context["form"].errors
    assert not User.objects.get(username=application.form_number).check_password(new)
    response = client.post(reverse("portal:forgot_password"), {**step2, **captcha_answer(page.content.decode())})
    assert response.status_code == 302
    assert User.objects.get(username=application.form_number).check_password(new)


def test_forgot_password_wrong_mobile_sends_nothing(client, city, run_jobs):
    _parent(client, city)
    client.logout()
    page = client.get(reverse("portal:forgot_password")).content.decode()
    lookup = {"identifier": city.east_app.form_number, "mobile": "13000000000"}
    client.post(reverse("portal:forgot_password"), {**lookup, **captcha_answer(page), "send_code": "1"})
    run_jobs()
    assert sms.texts_to("13000000000") == [] and sms.texts_to(city.east_app.mobile) == []


def test_cancel_account_then_login_refused_and_register_again(client, city, run_jobs):
    application = _parent(client, city)
    client.post(reverse("portal:cancel"), {"send_code": "1"})
    run_jobs()
    response = client.post(reverse("portal:cancel"), {"sms_code": sms.last_code(application.mobile), "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.CANCELLED
    response = client.post(reverse("portal:login"), {"username": application.form_number, "password": PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_pages_of_another_parent_are_unreachable(client, city):
    _parent(client, city)
    home = client.get(reverse("portal:home")).content.decode()
    assert city.east_app.form_number in home and city.west_app.form_number not in home
    assert city.west_app.child.name not in home
