"""Hole 4: with staff_2fa on, the desk needs a TOTP code at log-in; a staff user without a device
enrols one after the password; a higher role resets a lost device."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.bj_enrollment.staff_access.conftest import device_for, log_in, logged_in, token_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_second_factor_on")]

ENROL = "/desk/second-factor/"


@pytest.fixture
def _second_factor_on():
    with override_settings(STAFF_2FA=True):
        yield


def _verified_client(user) -> Client:
    """A desk session that passed both steps (as the log-in form leaves it)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_login_page_shows_the_code_field(client, city):
    assert 'name="otp_token"' in client.get("/desk/login/").content.decode()


def test_login_without_code_refused_for_a_user_with_a_device(client, city):
    device_for(city.east_reviewer)
    response = log_in(client, "east")
    assert response.status_code == 200
    assert "动态验证码错误或已过期" in response.content.decode()
    assert not logged_in(client)
    assert client.get("/desk/").status_code == 302


def test_login_with_wrong_code_refused_and_device_unchanged(client, city):
    device = device_for(city.east_reviewer)
    wrong = f"{(int(token_now(device)) + 1) % 1_000_000:06d}"
    response = log_in(client, "east", token=wrong)
    assert "动态验证码错误或已过期" in response.content.decode() and not logged_in(client)
    device.refresh_from_db()
    assert device.confirmed and device.last_t == -1


def test_login_with_valid_code_reaches_the_desk(client, city):
    device = device_for(city.east_reviewer)
    response = log_in(client, "east", token=token_now(device))
    assert response.status_code == 302 and logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/desk/").status_code == 200


def test_a_code_is_accepted_once(client, city):
    device = device_for(city.east_reviewer)
    code = token_now(device)
    assert log_in(client, "east", token=code).status_code == 302
    other = Client()
    assert log_in(other, "east", token=code).status_code == 200 and not logged_in(other)


def test_wrong_codes_count_towards_the_lock(client, city):
    device = device_for(city.east_reviewer)
    for _ in range(5):
        log_in(client, "east", token="000000")
    response = log_in(client, "east", token=token_now(device))
    assert "该账号因多次登录失败已被暂时锁定" in response.content.decode() and not logged_in(client)


def test_password_only_session_has_no_desk(client, city):
    device_for(city.east_reviewer)
    client.force_login(city.east_reviewer)
    assert client.get("/desk/").status_code == 302
    assert client.get("/desk/bj_enrollment/application/").status_code == 302


def test_new_staff_user_enrols_after_the_password(client, city):
    user = factories.staff("newcomer", "学校审核员", school_=city.east_school)
    response = log_in(client, "newcomer")
    assert response.status_code == 302 and response.url.startswith(ENROL)
    assert client.get("/desk/").status_code == 302  # not before the device is confirmed
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "<script>" not in html.split("<body", 1)[1].split("</form>")[0]
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    wrong = client.post(ENROL, {"otp_token": "12345"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(user=user).confirmed

    done = client.post(ENROL, {"otp_token": token_now(device), "next": "/desk/bj_enrollment/application/"})
    assert done.status_code == 302 and done.url == "/desk/bj_enrollment/application/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/desk/").status_code == 200
    assert LogEntry.objects.filter(object_id=str(user.pk), change_message="Second factor enrolled").exists()


def test_enrolment_refused_when_a_device_exists(client, city):
    device_for(city.east_reviewer)
    client.force_login(city.east_reviewer)  # the password only, e.g. a stolen one
    response = client.get(ENROL)
    assert response.status_code == 302 and response.url.startswith("/desk/login/")
    assert client.post(ENROL, {"otp_token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=city.east_reviewer).count() == 1


def test_city_admin_resets_a_reviewers_device(city):
    device = device_for(city.east_reviewer)
    reviewer = _verified_client(city.east_reviewer)
    assert reviewer.get("/desk/").status_code == 200
    admin = _verified_client(city.city_admin)
    url = f"/desk/auth/user/{city.east_reviewer.pk}/reset-second-factor/"
    assert "重置两步验证" in admin.get(url).content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # GET only asks
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=city.east_reviewer).exists()
    assert LogEntry.objects.filter(
        object_id=str(city.east_reviewer.pk), user=city.city_admin, change_message="Second factor reset"
    ).exists()
    assert reviewer.get("/desk/").status_code == 302  # the session verified by the old device no longer counts
    fresh = Client()
    response = log_in(fresh, "east")
    assert response.status_code == 302 and response.url.startswith(ENROL)


@pytest.mark.parametrize(
    ("actor", "target"), [("east_school_reviewer", "east_reviewer"), ("east_reviewer", "city_admin")]
)
def test_reset_refused_below_the_target(city, actor, target):
    victim = getattr(city, target)
    device = device_for(victim)
    client = _verified_client(getattr(city, actor))
    assert client.post(f"/desk/auth/user/{victim.pk}/reset-second-factor/").status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not LogEntry.objects.filter(object_id=str(victim.pk)).exists()


def test_device_pages_of_the_library_are_not_in_the_desk(city):
    client = _verified_client(factories.staff("root", "", superuser=True))
    assert client.get("/desk/otp_totp/totpdevice/").status_code == 404
