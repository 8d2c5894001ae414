"""#11.8 at the zone look-up (R34): an ID with another script's digit is refused, and a full-width twin
is the same ID, so it shares the look-up allowance instead of getting a fresh one."""

import json

import pytest
from django.core.cache import cache

from apps.bj_enrollment.models import Campaign, ZoneLookup
from apps.bj_enrollment.zones.service import LookupStatus, look_up_zone
from tests.bj_enrollment.zones.conftest import new_id

pytestmark = pytest.mark.django_db
API = "/api/v1/zones/lookup"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
CHARACTERS_MESSAGE = "居民身份证号码只能由数字 0-9 组成"


@pytest.fixture(autouse=True)
def _fresh_rate_window():
    cache.delete_pattern("rl:*")
    yield


def post_json(client, body):
    return client.post(API, json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_an_arabic_indic_digit_is_refused_on_page_and_api_and_nothing_is_logged(client, zone_city):
    person = new_id()
    variant = person[:12] + person[12].translate(ARABIC_INDIC) + person[13:]
    response = post_json(client, {"id_number": variant, "address": "东城区东四十条1号"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]["id_number"]
    assert error["code"] == "id_characters" and CHARACTERS_MESSAGE in error["message"]
    page = client.post("/zones/", {"id_number": variant, "address": "东城区东四十条1号"})
    assert page.status_code == 400 and CHARACTERS_MESSAGE in page.content.decode()
    assert not ZoneLookup.objects.exists()


def test_a_full_width_twin_shares_the_allowance(client, zone_city):
    Campaign.objects.filter(pk=zone_city.campaign.pk).update(zone_lookup_limit=1)
    person = new_id()
    assert post_json(client, {"id_number": person, "address": "东城区东四十条1号"}).status_code == 200
    twin = person.translate(FULL_WIDTH)
    refused = post_json(client, {"id_number": twin, "address": "东城区府学胡同36号"})
    assert refused.status_code == 429
    assert refused.json()["errors"]["id_number"][0]["code"] == "lookup_limit"
    spaced = f"{twin[:6]} {twin[6:14]} {twin[14:]}"
    page = client.post("/zones/", {"id_number": spaced, "address": "东城区府学胡同36号"})
    assert page.status_code == 429
    assert list(ZoneLookup.objects.values_list("address", flat=True)) == ["东四十条1号"]
    again = post_json(client, {"id_number": twin, "address": "东城区东四十条1号"})  # the same ID's old address
    assert again.status_code == 200
    assert ZoneLookup.objects.get().times == 2


def test_an_arabic_indic_house_number_is_no_house_number(zone_city):
    """int() reads "١" as 1: the address would match, and be charged as, 东四十条1号 under another spelling."""
    assert look_up_zone(new_id(), "东城区东四十条1号", campaign=zone_city.campaign).status != LookupStatus.NO_MATCH
    result = look_up_zone(new_id(), "东城区东四十条١号", campaign=zone_city.campaign)
    assert result.status == LookupStatus.NO_MATCH and not result.zones
