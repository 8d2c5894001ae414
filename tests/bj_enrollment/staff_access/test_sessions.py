"""Hole 11: staff sessions end after the idle time and after the absolute time; parents' do not."""

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from apps.bj_enrollment.desk.sessions import LOGIN_AT, SEEN_AT
from apps.bj_enrollment.models import Application
from tests.bj_enrollment.staff_access.conftest import log_in, logged_in

pytestmark = pytest.mark.django_db


def _shift(client, **minutes_ago):
    """Move the session's stored clocks into the past (no sleeping)."""
    session = client.session
    for key, minutes in minutes_ago.items():
        session[key] -= minutes * 60
    session.save()


def test_login_starts_both_clocks(client, city):
    assert log_in(client, "east").status_code == 302
    assert client.session[LOGIN_AT] == client.session[SEEN_AT]


def test_idle_staff_session_ends(client, city):
    log_in(client, "east")
    _shift(client, staff_seen_at=29)
    assert client.get("/desk/").status_code == 200  # 29 minutes idle: still on
    _shift(client, staff_seen_at=31)
    response = client.get("/desk/")
    assert response.status_code == 302 and response.url.startswith("/desk/login/")
    assert not logged_in(client)
    assert "登录已超时" in client.get(response.url).content.decode()


def test_active_staff_session_ends_at_the_absolute_limit(client, city):
    log_in(client, "east")
    _shift(client, staff_login_at=11 * 60)
    assert client.get("/desk/").status_code == 200
    _shift(client, staff_login_at=61)  # 12 h 1 min after log-in, though active a moment ago
    assert client.get("/desk/").status_code == 302
    assert not logged_in(client)


@override_settings(STAFF_SESSION_IDLE_MINUTES=5, STAFF_SESSION_MAX_HOURS=1)
def test_limits_come_from_the_site_configuration(client, city):
    log_in(client, "east")
    _shift(client, staff_seen_at=6)
    assert client.get("/desk/").status_code == 302 and not logged_in(client)


def test_session_without_clocks_gets_them_on_the_next_request(client, city):
    client.force_login(city.east_reviewer)
    assert client.get("/desk/").status_code == 200
    assert LOGIN_AT in client.session and SEEN_AT in client.session


def test_parent_session_keeps_its_own_rules(client, city):
    parent = User.objects.create_user(city.east_app.form_number, password="Parent-2026-ok")
    Application.objects.filter(pk=city.east_app.pk).update(account=parent)
    client.force_login(parent)
    assert client.get("/portal/home/").status_code == 200
    assert LOGIN_AT not in client.session and SEEN_AT not in client.session
