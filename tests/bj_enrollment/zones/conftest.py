"""A small city with service zones written the way district offices write them (R34, R35)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.models import Campaign, District, School, ServiceZone, Street, ZoneArea
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.zones import index as zone_index
from tests import factories

CUTOFF = dt.date(2020, 6, 30)
_ids = itertools.count(1)


def new_id() -> str:
    """A valid resident ID no other test uses (the look-up limit counts per ID)."""
    return make_resident_id("110101", dt.date(2019, 3, 1), next(_ids) % 990 + 1, Gender.MALE)


@dataclass
class ZoneCity:
    campaign: Campaign
    dongcheng: District
    xicheng: District
    haidian: District
    schools: dict[str, School]


def _zone(district, name, schools, rows, *, multi=False, cutoff=None) -> ServiceZone:
    zone = ServiceZone.objects.create(
        district=district, name=name, areas="", multi_school=multi, property_cutoff=cutoff
    )
    zone.schools.set(schools)
    for road, compound, number_from, number_to, parity in rows:
        ZoneArea.objects.create(
            zone=zone, road=road, compound=compound, number_from=number_from, number_to=number_to, parity=parity
        )
    return zone


@pytest.fixture
def zone_city(db) -> ZoneCity:
    return build_zone_city()


def build_zone_city() -> ZoneCity:
    """Three districts, ten schools, fourteen zones: odd/even ranges, a compound inside a range, a
    multi-school zone, a cutoff zone with its multi-school fallback, overlapping compound ranges."""
    campaign = factories.campaign()
    Campaign.objects.filter(pk=campaign.pk).update(zone_lookup_limit=0, active=True)
    campaign.refresh_from_db()
    dc = factories.district("110101", "东城区")
    xc = factories.district("110102", "西城区")
    hd = factories.district("110108", "海淀区")
    District.objects.filter(pk=dc.pk).update(contact_phone="010-64031234", address="东城区钱粮胡同2号")
    District.objects.filter(pk=hd.pk).update(contact_phone="010-88495678", address="海淀区四季青路7号")
    Street.objects.create(district=dc, name="东四街道", code="110101002")
    Street.objects.create(district=hd, name="中关村街道", code="110108013")
    names = {
        "史家": (dc, "史家胡同小学"),
        "四十四条": (dc, "东四十四条小学"),
        "府学": (dc, "府学胡同小学"),
        "和一": (dc, "和平里第一小学"),
        "和四": (dc, "和平里第四小学"),
        "实验二小": (xc, "北京实验二小"),
        "育民": (xc, "育民小学"),
        "中一": (hd, "中关村第一小学"),
        "中三": (hd, "中关村第三小学"),
        "人大附小": (hd, "中国人民大学附属小学"),
    }
    s = {key: factories.school(d, name) for key, (d, name) in names.items()}
    _zone(dc, "东四十条单号", [s["史家"]], [("东四十条", "", 1, 59, "odd")])
    _zone(dc, "东四十条双号", [s["四十四条"]], [("东四十条", "", 2, 60, "even")])
    _zone(dc, "东四十条甲22号院", [s["府学"]], [("东四十条", "甲22号院", None, None, "all")])
    _zone(dc, "府学胡同", [s["府学"]], [("府学胡同", "", None, None, "all")])
    _zone(dc, "和平里多校划片", [s["和一"], s["和四"]], [("和平里东街", "", None, None, "all")], multi=True)
    _zone(dc, "交道口", [s["史家"]], [("交道口南大街", "", 1, 100, "all")], cutoff=CUTOFF)
    _zone(dc, "交道口多校划片", [s["和一"], s["和四"]], [("交道口南大街", "", None, None, "all")], multi=True)
    _zone(xc, "金融街", [s["实验二小"]], [("金融街", "", None, None, "all")])
    _zone(xc, "西单", [s["育民"]], [("西单北大街", "", 1, 200, "all")])
    _zone(hd, "中关村南大街南段", [s["中一"]], [("中关村南大街", "", 1, 50, "all")])
    _zone(hd, "中关村南大街北段", [s["中三"]], [("中关村南大街", "", 51, 200, "all")])
    _zone(hd, "华清嘉园", [s["人大附小"]], [("", "华清嘉园", None, None, "all")])
    _zone(hd, "双榆树东里(一)", [s["中一"]], [("", "双榆树东里", 1, 20, "all")])
    _zone(hd, "双榆树东里(二)", [s["中三"]], [("", "双榆树东里", 15, 40, "all")])
    zone_index.changed()
    return ZoneCity(campaign, dc, xc, hd, s)
