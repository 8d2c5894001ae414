"""API v1: every error in Chinese and in the documented shape, whatever produced it (ninja's schema,
the body's format, authentication, an unknown address or method, a server failure); a token request
never meets CSRF."""

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.portal import progress
from tests.api_tokens import bearer

pytestmark = pytest.mark.django_db


def only_error(response) -> dict:
    """The one {"code", "message"} of a response in the documented shape."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    errors = response.json()["errors"]
    ((field, (error,)),) = errors.items()
    return {"field": field, **error}


@pytest.fixture
def parent(city):
    """The account of the east district's application."""
    user = User.objects.create_user(city.east_app.form_number, password="ApiParent2026")
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    return user


def test_missing_schema_field_is_required_in_chinese(client):
    response = client.post("/api/v1/tokens", {"password": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert only_error(response) == {"field": "username", "code": "required", "message": "此项为必填项。"}


def test_wrong_type_in_schema_is_invalid_in_chinese(client):
    response = client.post("/api/v1/tokens", {"username": ["a"], "password": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert only_error(response) == {"field": "username", "code": "invalid", "message": "请输入有效的值。"}


def test_form_encoded_body_is_refused_in_chinese(client):
    response = client.post("/api/v1/tokens", {"username": "12345678", "password": "x"})  # multipart, not JSON
    assert response.status_code == 400
    error = only_error(response)
    assert error["code"] == "malformed_body" and error["message"].startswith("请求内容须为 JSON 对象")


def test_empty_body_names_each_required_field(client):
    response = client.post("/api/v1/tokens", content_type="application/json")
    assert response.status_code == 400
    required = [{"code": "required", "message": "此项为必填项。"}]
    assert response.json() == {"errors": {"username": required, "password": required}}


def test_unauthenticated_is_401_in_chinese(client):
    response = client.get("/api/v1/application")
    assert response.status_code == 401
    assert only_error(response) == {"field": "__all__", "code": "unauthorised", "message": "请先登录。"}


def test_unknown_address_is_404_json_in_chinese(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert only_error(response) == {"field": "__all__", "code": "not_found", "message": "未找到所请求的内容。"}


def test_missing_application_is_404_json(client, parent):
    Application.objects.filter(account=parent).update(account=None)
    response = client.get("/api/v1/application", **bearer(parent))
    assert response.status_code == 404 and only_error(response)["code"] == "not_found"


def test_wrong_method_is_405_json_in_chinese(client):
    response = client.delete("/api/v1/tokens")
    assert response.status_code == 405
    assert only_error(response) == {
        "field": "__all__",
        "code": "method_not_allowed",
        "message": "该地址不支持此请求方法。",
    }
    assert "POST" in response["Allow"]


def test_server_error_is_json_in_chinese_with_the_logged_request_id(parent, monkeypatch, caplog):
    def broken(application):
        raise RuntimeError("the step list broke")

    monkeypatch.setattr(progress, "steps", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="apps.bj_enrollment.api.errors"):
        response = client.get("/api/v1/application", **bearer(parent))
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    error = only_error(response)
    assert error["code"] == "server_error"
    assert error["message"] == f"系统出现错误，您的数据不受影响，请稍后再试（请求编号 {request_id}）。"
    (logged,) = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged.exc_info and "the step list broke" in str(logged.exc_info[1])


def test_the_client_request_id_is_kept(parent, monkeypatch):
    monkeypatch.setattr(progress, "steps", lambda application: 1 / 0)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/application", HTTP_X_REQUEST_ID="app-7f3a9c21", **bearer(parent))
    assert response.status_code == 500 and response["X-Request-ID"] == "app-7f3a9c21"
    assert "app-7f3a9c21" in only_error(response)["message"]


def test_english_accept_language_still_gets_chinese(client):
    response = client.get("/api/v1/application", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert only_error(response)["message"] == "请先登录。"


def test_a_token_request_never_meets_csrf(city, parent):
    """The app holds a session cookie from the portal and a void token: 401, not CSRF's 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(parent)
    state = Application.objects.get(pk=city.east_app.pk).state
    response = client.post("/api/v1/application/withdrawal", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and only_error(response)["code"] == "unauthorised"
    assert Application.objects.get(pk=city.east_app.pk).state == state


def test_a_session_request_without_csrf_token_is_403_in_chinese(city, parent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(parent)
    state = Application.objects.get(pk=city.east_app.pk).state
    response = client.post("/api/v1/application/withdrawal")
    assert response.status_code == 403
    error = only_error(response)
    assert error["code"] == "csrf" and error["message"].startswith("页面的安全令牌")
    assert Application.objects.get(pk=city.east_app.pk).state == state


def test_every_code_in_these_answers_is_declared(client):
    answers = [
        client.get("/api/v1/application"),
        client.get("/api/v1/nothing"),
        client.put("/api/v1/tokens"),
        client.post("/api/v1/tokens", {"x": 1}, content_type="application/json"),
        client.post("/api/v1/tokens", "not json", content_type="application/json"),
    ]
    codes = {e["code"] for r in answers for errs in r.json()["errors"].values() for e in errs}
    assert codes <= set(error_codes.DECLARED)


def test_a_plain_django_api_view_answers_405_as_json(client):
    """The zone look-up is a Django view (require_POST), not ninja's: the middleware gives the shape."""
    response = client.get("/api/v1/zones/lookup")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert only_error(response)["code"] == "method_not_allowed"


def test_a_plain_django_api_view_that_raises_answers_500_as_json(monkeypatch, caplog):
    from apps.bj_enrollment.zones import views

    def broken(request, data):
        raise RuntimeError("zone index unreadable")

    monkeypatch.setattr(views, "_answer", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/v1/zones/lookup", {"address": "东四十条1号"}, content_type="application/json")
    assert response.status_code == 500
    error = only_error(response)
    assert error["code"] == "server_error" and response["X-Request-ID"] in error["message"]
    assert any(response["X-Request-ID"] in r.getMessage() for r in caplog.records)


def test_a_request_django_refuses_before_the_api_is_400_json(client):
    response = client.get("/api/v1/application", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert only_error(response) == {"field": "__all__", "code": "bad_request", "message": "无法识别该请求。"}
