"""The public page and the JSON API: same service, clear Chinese errors, 400 and 429."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from apps.bj_enrollment.models import Campaign
from tests.bj_enrollment.zones.conftest import new_id

pytestmark = pytest.mark.django_db
API = "/api/v1/zones/lookup"


@pytest.fixture(autouse=True)
def _fresh_rate_window():
    cache.delete_pattern("rl:*")  # django-ratelimit's counters
    yield


def post_json(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_page_shows_the_schools(client, zone_city):
    assert client.get("/zones/").status_code == 200
    response = client.post("/zones/", {"id_number": new_id(), "address": "西城区金融街17号"})
    assert response.status_code == 200
    assert "北京实验二小" in response.content.decode()


def test_page_without_match_shows_the_district_hotline(client, zone_city):
    response = client.post("/zones/", {"id_number": new_id(), "address": "东城区东四十条61号"})
    page = response.content.decode()
    assert "010-64031234" in page and "东城区钱粮胡同2号" in page


def test_page_errors_are_in_chinese_and_keep_the_input(client, zone_city):
    response = client.post("/zones/", {"id_number": "110101201903011234", "address": "东城区东四十条1号"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "校验" in page or "身份证" in page
    assert "东城区东四十条1号" in page  # nothing typed is lost


def test_page_form_needs_csrf(zone_city):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/zones/", {"id_number": new_id(), "address": "西城区金融街17号"})
    assert response.status_code == 403


def test_api_answers_json(client, zone_city):
    response = post_json(client, {"id_number": new_id(), "address": "东城区和平里东街11号"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "matched" and body["multi_school"] is True
    assert {s["name"] for s in body["zones"][0]["schools"]} == {"和平里第一小学", "和平里第四小学"}
    assert "电脑随机派位" in body["lottery_note"]


def test_api_property_date_round_trip(client, zone_city):
    first = post_json(client, {"id_number": new_id(), "address": "东城区交道口南大街5号"}).json()
    assert first["status"] == "needs_property_date" and first["property_cutoff"] == "2020-06-30"
    later = post_json(
        client, {"id_number": new_id(), "address": "东城区交道口南大街5号", "property_certificate_date": "2021-01-02"}
    ).json()
    assert later["multi_school"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id_number": "12345", "address": "西城区金融街17号"}, "id_number"),
        ({"id_number": new_id(), "address": ""}, "address"),
        ({"id_number": new_id(), "address": "金"}, "address"),
        (
            {"id_number": new_id(), "address": "西城区金融街17号", "property_certificate_date": "明天"},
            "property_certificate_date",
        ),
    ],
    ids=["bad ID", "empty address", "too short", "bad date"],
)
def test_api_bad_input_is_400_with_field_messages(client, zone_city, body, field):
    response = post_json(client, body)
    assert response.status_code == 400
    [error] = response.json()["errors"][field]
    assert error["code"] and error["message"]  # the error shape of the rest of API v1


@pytest.mark.parametrize(
    ("id_number", "code", "chinese"),
    [
        ("11010120190301", "id_length", "居民身份证号码应为 18 位。"),
        ("110101201903011234", "id_checksum", "身份证号码的校验码不正确，请核对。"),
    ],
)
def test_api_names_what_is_wrong_with_the_id_in_chinese(client, zone_city, id_number, code, chinese):
    response = post_json(client, {"id_number": id_number, "address": "西城区金融街17号"})
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"] == [{"code": code, "message": chinese}]


def test_api_refuses_a_body_that_is_not_an_object(client, zone_city):
    response = client.post(API, "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and "__all__" in response.json()["errors"]


def test_api_per_id_limit_is_429(client, zone_city):
    Campaign.objects.filter(pk=zone_city.campaign.pk).update(zone_lookup_limit=1)
    person = new_id()
    assert post_json(client, {"id_number": person, "address": "东城区东四十条1号"}).status_code == 200
    refused = post_json(client, {"id_number": person, "address": "东城区府学胡同36号"})
    assert refused.status_code == 429
    assert refused.json()["errors"]["id_number"][0]["code"] == "lookup_limit"
    page = client.post("/zones/", {"id_number": person, "address": "东城区府学胡同36号"})
    assert page.status_code == 429 and "东城区" in page.content.decode()
    assert post_json(client, {"id_number": person, "address": "东城区东四十条1号"}).status_code == 200  # old address


@override_settings(PORTAL_RATE_LIMITS={"zone_lookup_per_ip": "3/h"})
def test_per_network_rate_limit_is_429_on_api_and_page(client, zone_city):
    statuses = [post_json(client, {"id_number": new_id(), "address": "西城区金融街17号"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert post_json(client, {"id_number": new_id(), "address": "西城区金融街17号"}).json()["errors"]["__all__"]
    page = client.post("/zones/", {"id_number": new_id(), "address": "西城区金融街17号"})
    assert page.status_code == 429 and "北京实验二小" not in page.content.decode()
    other = Client(REMOTE_ADDR="10.1.2.3")  # another network address has its own count
    assert post_json(other, {"id_number": new_id(), "address": "西城区金融街17号"}).status_code == 200
