"""Hole 11: log-out (API or portal) voids the API tokens issued before it."""

import pytest
from django.contrib.auth.models import User

from apps.bj_enrollment.models import ApiTokenGeneration, Application

pytestmark = pytest.mark.django_db

PASSWORD = "Parent-2026-ok"


@pytest.fixture
def parent(city):
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    return user


def _bearer(client, parent) -> dict:
    response = client.post(
        "/api/v1/tokens", {"username": parent.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_api_logout_voids_the_token(client, parent):
    first, second = _bearer(client, parent), _bearer(client, parent)
    assert client.get("/api/v1/application", **first).status_code == 200
    assert client.post("/api/v1/logout", **first).status_code == 200
    assert client.get("/api/v1/application", **first).status_code == 401
    assert client.get("/api/v1/application", **second).status_code == 401  # every token issued before
    assert client.post("/api/v1/logout", **first).status_code == 401
    assert ApiTokenGeneration.objects.get(user=parent).generation == 1
    assert client.get("/api/v1/application", **_bearer(client, parent)).status_code == 200  # a new log-in works


def test_portal_logout_voids_the_apps_tokens(client, parent):
    token = _bearer(client, parent)
    client.force_login(parent)
    assert client.post("/portal/logout/").status_code == 302
    assert client.get("/api/v1/application", **token).status_code == 401


def test_logout_of_another_account_leaves_the_token(client, parent, city):
    token = _bearer(client, parent)
    other = User.objects.create_user(city.west_app.form_number, password=PASSWORD)
    Application.objects.filter(pk=city.west_app.pk).update(account=other)
    assert client.post("/api/v1/logout", **_bearer(client, other)).status_code == 200
    assert client.get("/api/v1/application", **token).status_code == 200
