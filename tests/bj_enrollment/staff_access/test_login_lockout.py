"""Hole 4: the desk log-in locks an account after five failures and an address after many, even for
the right password, until the window passes or a higher role unlocks it."""

import time
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User

from tests.bj_enrollment.staff_access.conftest import log_in, logged_in

pytestmark = pytest.mark.django_db

LOCKED = "该账号因多次登录失败已被暂时锁定"


def _fail(client, username, times, address="10.8.0.1"):
    for _ in range(times):
        response = log_in(client, username, "Wrong-Passw0rd", address=address)
        assert response.status_code == 200 and not logged_in(client)


def test_login_locked_after_five_failures_even_with_the_right_password(client, city):
    before = User.objects.values().get(pk=city.east_reviewer.pk)
    _fail(client, "east", 5)
    response = log_in(client, "east")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    assert client.get("/desk/").status_code == 302
    assert User.objects.values().get(pk=city.east_reviewer.pk) == before  # no last_login, nothing changed


def test_four_failures_then_the_right_password_logs_in(client, city):
    _fail(client, "east", 4)
    assert log_in(client, "east").status_code == 302
    assert logged_in(client)


def test_spellings_of_one_name_count_against_the_same_account(client, city):
    for spelling in (" east", "EAST", "ｅａｓｔ", "East ", "east"):
        log_in(client, spelling, "Wrong-Passw0rd")
    response = log_in(client, "east")
    assert LOCKED in response.content.decode() and not logged_in(client)


def test_other_account_from_the_address_logs_in_until_the_address_limit(client, city, settings):
    settings.PORTAL_RATE_LIMITS = {"staff_login_per_ip": "8/15m"}
    _fail(client, "east", 5)
    assert log_in(client, "city").status_code == 302  # the lock is the account's, not the address's
    client.logout()
    _fail(client, "nobody", 3)  # 8 failures from this address now
    response = log_in(client, "east-school")
    assert "此地址登录失败次数过多" in response.content.decode() and not logged_in(client)
    assert log_in(client, "east-school", address="10.8.0.2").status_code == 302  # another address still works


def test_lock_expires_after_the_window(client, city):
    _fail(client, "east", 5)
    assert LOCKED in log_in(client, "east").content.decode()
    later = time.time() + 16 * 60
    with mock.patch("django_ratelimit.core.time") as clock:
        clock.time.return_value = later
        assert log_in(client, "east").status_code == 302
    assert logged_in(client)


def test_city_admin_unlocks_a_locked_reviewer(client, city):
    _fail(client, "east", 5)
    admin = type(client)()
    admin.force_login(city.city_admin)
    url = f"/desk/auth/user/{city.east_reviewer.pk}/unlock-login/"
    assert "解除登录锁定" in admin.get(url).content.decode()  # GET asks; only POST acts
    assert LOCKED in log_in(client, "east").content.decode()
    assert admin.post(url).status_code == 302
    assert LogEntry.objects.filter(object_id=str(city.east_reviewer.pk), user=city.city_admin).exists()
    assert log_in(client, "east").status_code == 302


@pytest.mark.parametrize("actor", ["east_school_reviewer", "east_reviewer"])
def test_lower_or_equal_role_cannot_unlock(client, city, actor):
    target = city.city_admin if actor == "east_reviewer" else city.east_reviewer
    _fail(client, target.username, 5)
    other = type(client)()
    other.force_login(getattr(city, actor))
    assert other.post(f"/desk/auth/user/{target.pk}/unlock-login/").status_code == 403
    assert not LogEntry.objects.filter(object_id=str(target.pk)).exists()
    assert LOCKED in log_in(client, target.username).content.decode()
