"""Hole 11: log-out (API or portal) voids the API tokens issued before it."""

import pytest
from django.contrib.auth.models import User

from apps.bj_enrollment.models import ApiTokenGeneration, Application
from tests.api_tokens import logged_in

pytestmark = pytest.mark.django_db

PASSWORD = "Parent-2026-ok"


@pytest.fixture
def parent(city):
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    return user


def test_api_logout_voids_the_token(client, parent):
    first, second = logged_in(client, parent.username, PASSWORD), logged_in(client, parent.username, PASSWORD)
    assert client.get("/api/v1/application", **first).status_code == 200
    assert client.post("/api/v1/logout", **first).status_code == 200
    assert client.get("/api/v1/application", **first).status_code == 401
    assert client.get("/api/v1/application", **second).status_code == 401  # every token issued before
    assert client.post("/api/v1/logout", **first).status_code == 401
    assert ApiTokenGeneration.objects.get(user=parent).generation == 1
    again = logged_in(client, parent.username, PASSWORD)  # a new log-in works
    assert client.get("/api/v1/application", **again).status_code == 200


def test_portal_logout_voids_the_apps_tokens(client, parent):
    token = logged_in(client, parent.username, PASSWORD)
    client.force_login(parent)
    assert client.post("/portal/logout/").status_code == 302
    assert client.get("/api/v1/application", **token).status_code == 401


def test_logout_of_another_account_leaves_the_token(client, parent, city):
    token = logged_in(client, parent.username, PASSWORD)
    other = User.objects.create_user(city.west_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.west_app.pk).update(account=other)
    assert client.post("/api/v1/logout", **logged_in(client, other.username, PASSWORD)).status_code == 200
    assert client.get("/api/v1/application", **token).status_code == 200
