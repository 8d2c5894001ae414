"""One spelling per place: what parents type and what districts enter compare equal (R34)."""

import pytest

from apps.bj_enrollment.zones.normalise import (
    canonical,
    chinese_number,
    compound_key,
    looks_like_road,
    road_key,
    split_address,
)

DISTRICTS = {
    "东城区": "东城区",
    "东城": "东城区",
    "西城区": "西城区",
    "西城": "西城区",
    "海淀区": "海淀区",
    "海淀": "海淀区",
}
STREETS = {"东四街道", "中关村街道"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("西城區金融街１７号", "西城区金融街17号"),  # traditional 區, full-width digits
        ("東四十條甲二十二號院", "东四十条甲22号院"),  # traditional, Chinese numerals before 号
        ("东四十条甲二十二号院", "东四十条甲22号院"),  # 东四十条 keeps its name
        ("中关村南大街一百零五号", "中关村南大街105号"),
        ("二环路十号", "二环路10号"),
        ("四〇一室", "401室"),  # digit by digit when there is no unit
        ("华清嘉园15#楼", "华清嘉园15号楼"),
        ("华清嘉园12栋3单元502", "华清嘉园12号楼3单元502"),
        ("华清嘉园12幢", "华清嘉园12号楼"),
        ("现代城Ａ座", "现代城A号楼"),  # full-width Latin, 座 as a building
        ("东四十条街31号", "东四十条31号"),  # 街 added to a lane
        ("北京市 海淀区 中关村南大街 5 号", "北京市海淀区中关村南大街5号"),  # spaces
        ("北新桥三条12号 ，1-2-301。", "北新桥三条12号1-2-301"),  # punctuation
        ("东四十条 1—5号", "东四十条1-5号"),  # dash variants
        ("东四十条1～5号", "东四十条1-5号"),
        ("双榆树东里三十号楼", "双榆树东里30号楼"),
        ("", ""),
    ],
)
def test_canonical(typed, expected):
    assert canonical(typed) == expected


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十五", 15), ("二十二", 22), ("一百零五", 105), ("两百", 200), ("一千零一", 1001), ("四〇一", 401),
     ("贰拾叁", 23)],
)  # fmt: skip
def test_chinese_number(numeral, value):
    assert chinese_number(numeral) == value


def test_compound_suffixes_share_one_key():
    assert compound_key("华清嘉园小区") == compound_key("华清嘉园社区") == compound_key("華清嘉園") == "华清嘉园"
    assert compound_key("甲22号院") == compound_key("甲二十二号院") == "甲22号"
    assert road_key("東四十條") == "东四十条"


def test_roads_are_told_from_compounds():
    assert looks_like_road("东四十条") and looks_like_road("府学胡同") and looks_like_road("中关村南大街")
    assert not looks_like_road("华清嘉园")


@pytest.mark.parametrize(
    ("typed", "text", "place", "district"),
    [
        (
            "北京市东城区东四街道东四十条甲22号院3号楼2单元401",
            "东四十条甲22号院3号楼2单元401",
            "东四十条甲22号院",
            "东城区",
        ),
        ("中国北京市东城区府学胡同36号", "府学胡同36号", "府学胡同36号", "东城区"),
        ("北京海淀中关村南大街5号1-2-301", "中关村南大街5号1-2-301", "中关村南大街5号", "海淀区"),
        ("崇文区东四十条9号", "东四十条9号", "东四十条9号", "东城区"),  # merged into 东城 in 2010
        ("宣武区金融街1号", "金融街1号", "金融街1号", "西城区"),
        ("海淀区中关村街道华清嘉园小区12号楼3单元502", "华清嘉园小区12号楼3单元502", "华清嘉园小区", "海淀区"),
        ("东四十条1号3层", "东四十条1号3层", "东四十条1号", None),  # no district written
        ("北京市东四街道", "东四街道", "东四街道", None),  # a subdistrict alone is kept
    ],
)
def test_split_address(typed, text, place, district):
    address = split_address(typed, DISTRICTS, STREETS)
    assert (address.text, address.place, address.district_name) == (text, place, district)


def test_the_place_counted_by_the_limit_ignores_building_unit_and_room():
    places = {
        split_address(a, DISTRICTS, STREETS).place
        for a in ("东城区东四十条1号", "北京市东城区东四十条1号3号楼2单元401", "东城東四十條1號5栋", "东四十条一号")
    }
    assert places == {"东四十条1号"}
