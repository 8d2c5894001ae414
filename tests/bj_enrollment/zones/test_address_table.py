"""R34: addresses as Beijing parents write them find the schools of their service zone."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.bj_enrollment.zones.service import LookupStatus, look_up_zone
from tests.bj_enrollment.zones.conftest import CUTOFF, new_id

pytestmark = pytest.mark.django_db

HEPING = {"和平里第一小学", "和平里第四小学"}

# (address as typed, expected school names)
TABLE = [
    ("北京市东城区东四十条1号", {"史家胡同小学"}),
    ("东城区东四十条59号", {"史家胡同小学"}),  # last odd number of the range
    ("东城区东四十条2号", {"东四十四条小学"}),
    ("东城区东四十条60号", {"东四十四条小学"}),  # last even number of the range
    ("东城区东四十条甲22号院3号楼2单元401", {"府学胡同小学"}),  # the compound beats the even range
    ("北京市东城区东四十条甲二十二号院", {"府学胡同小学"}),  # Chinese numerals
    ("东城區東四十條甲２２號院", {"府学胡同小学"}),  # traditional characters, full-width digits
    ("东四十条街三十一号", {"史家胡同小学"}),  # 街 added to a lane, no district
    ("北京东城东四十条 15 号", {"史家胡同小学"}),  # short district, spaces
    ("东城区东四街道东四十条7号", {"史家胡同小学"}),  # subdistrict written in
    ("崇文区东四十条9号", {"史家胡同小学"}),  # the pre-2010 district name
    ("东城区东四十条33号4栋1单元", {"史家胡同小学"}),  # 栋 for building
    ("东城区东四十条8号院2幢", {"东四十四条小学"}),
    ("东城区府学胡同36号", {"府学胡同小学"}),  # whole street
    ("东城区府学胡同", {"府学胡同小学"}),  # whole street, no number
    ("东城区和平里东街11号", HEPING),  # multi-school zone
    ("和平里东街1号院2号楼", HEPING),
    ("西城区金融街17号", {"北京实验二小"}),
    ("西城區金融街１７号", {"北京实验二小"}),
    ("北京市西城区金融街丙17号", {"北京实验二小"}),  # lot prefix
    ("西城区西单北大街120号", {"育民小学"}),
    ("西单北大街1号", {"育民小学"}),
    ("北京市西城区西单北大街200号", {"育民小学"}),  # end of the range
    ("海淀区中关村南大街5号", {"中关村第一小学"}),
    ("海淀区中关村南大街50号", {"中关村第一小学"}),  # range border
    ("海淀区中关村南大街51号", {"中关村第三小学"}),  # next range
    ("中关村南大街二百号", {"中关村第三小学"}),
    ("  海淀区 中关村南大街 ３号 ", {"中关村第一小学"}),
    ("海淀区华清嘉园小区12号楼3单元502", {"中国人民大学附属小学"}),
    ("華清嘉園社区12栋", {"中国人民大学附属小学"}),
    ("海淀区中关村街道华清嘉园15#楼", {"中国人民大学附属小学"}),
    ("北京市海淀区华清嘉园", {"中国人民大学附属小学"}),
    ("海淀区双榆树东里3号楼", {"中关村第一小学"}),  # compound with building ranges
    ("海淀区双榆树东里三十号楼", {"中关村第三小学"}),
]


@pytest.mark.parametrize(("address", "schools"), TABLE, ids=[a for a, _ in TABLE])
def test_address_finds_its_schools(zone_city, address, schools):
    result = look_up_zone(new_id(), address, campaign=zone_city.campaign)
    assert result.status == LookupStatus.MATCHED, result.message
    assert {s.name for answer in result.zones for s in answer.schools} == schools
    assert result.multi_school == (schools == HEPING)
    assert (result.lottery_note is not None) == (schools == HEPING)


def test_table_is_long_enough():
    assert len(TABLE) >= 30


def test_overlapping_building_ranges_list_both_zones_with_reasons(zone_city):
    result = look_up_zone(new_id(), "海淀区双榆树东里18号楼", campaign=zone_city.campaign)
    assert result.status == LookupStatus.AMBIGUOUS
    assert {a.zone.name for a in result.zones} == {"双榆树东里(一)", "双榆树东里(二)"}
    assert all(a.reason for a in result.zones)


@pytest.mark.parametrize(
    "address",
    ["东城区东四十条61号", "西城区东四十条1号", "朝阳区建国路88号", "东城区东四十条丁一百号"],
    ids=["odd number past the range", "street of another district", "district without zones", "far number"],
)
def test_no_match_names_the_district_to_call(zone_city, address):
    result = look_up_zone(new_id(), address, campaign=zone_city.campaign)
    assert result.status == LookupStatus.NO_MATCH
    assert result.zones == []
    assert result.contacts, "a parent without a match must be told whom to call"
    assert "联系" in result.message or "contact" in result.message


def test_no_match_in_a_named_district_gives_that_districts_hotline(zone_city):
    result = look_up_zone(new_id(), "东城区东四十条61号", campaign=zone_city.campaign)
    assert [(d.name, d.contact_phone) for d in result.contacts] == [("东城区", "010-64031234")]
    assert result.as_dict()["contacts"] == [
        {"district": "东城区", "phone": "010-64031234", "address": "东城区钱粮胡同2号"}
    ]


class TestPropertyCutoff:
    """R35: a certificate dated after the district's cutoff places the family in the multi-school zone."""

    ADDRESS = "东城区交道口南大街5号"

    def test_without_a_date_the_answer_asks_for_it(self, zone_city):
        result = look_up_zone(new_id(), self.ADDRESS, campaign=zone_city.campaign)
        assert result.status == LookupStatus.NEEDS_PROPERTY_DATE
        assert result.property_cutoff == CUTOFF
        assert result.zones == []

    @pytest.mark.parametrize("certificate", [dt.date(2018, 1, 5), CUTOFF], ids=["before", "on the cutoff day"])
    def test_on_or_before_the_cutoff_keeps_the_school(self, zone_city, certificate):
        result = look_up_zone(new_id(), self.ADDRESS, certificate, campaign=zone_city.campaign)
        assert result.status == LookupStatus.MATCHED
        assert [s.name for a in result.zones for s in a.schools] == ["史家胡同小学"]
        assert not result.multi_school

    @pytest.mark.parametrize("certificate", [CUTOFF + dt.timedelta(days=1), dt.date(2023, 9, 1)])
    def test_after_the_cutoff_gives_the_multi_school_zone_and_the_lottery(self, zone_city, certificate):
        result = look_up_zone(new_id(), self.ADDRESS, certificate, campaign=zone_city.campaign)
        assert result.status == LookupStatus.MATCHED
        assert {s.name for a in result.zones for s in a.schools} == HEPING
        assert result.multi_school and "电脑随机派位" in result.lottery_note
        assert "2020" in result.zones[0].reason

    def test_a_future_certificate_date_is_refused(self, zone_city):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            tomorrow = timezone.localdate() + dt.timedelta(days=2)
            look_up_zone(new_id(), self.ADDRESS, tomorrow, campaign=zone_city.campaign)
        assert "property_certificate_date" in exc.value.message_dict


def test_a_place_whose_name_begins_with_a_district_is_not_cut_at_the_district(zone_city):
    """朝阳门北苑 is a compound of 东城区: typed without a district it is not 朝阳(区) + 门北苑."""
    from apps.bj_enrollment.models import ServiceZone, ZoneArea
    from apps.bj_enrollment.zones import index as zone_index
    from tests import factories

    factories.district("110105", "朝阳区")
    zone = ServiceZone.objects.create(district=zone_city.dongcheng, name="朝阳门北苑", areas="")
    zone.schools.set([zone_city.schools["史家"]])
    ZoneArea.objects.create(zone=zone, road="", compound="朝阳门北苑", number_from=None, number_to=None, parity="all")
    zone_index.changed()
    for typed in ("朝阳门北苑3号楼", "东城区朝阳门北苑3号楼", "北京市朝阳门北苑3号楼2单元"):
        result = look_up_zone(new_id(), typed, campaign=zone_city.campaign)
        assert {s.name for answer in result.zones for s in answer.schools} == {"史家胡同小学"}, typed
    assert not look_up_zone(new_id(), "朝阳区朝阳门北苑3号楼", campaign=zone_city.campaign).zones  # 朝阳区 named
