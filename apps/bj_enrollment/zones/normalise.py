"""Beijing addresses as people write them, reduced to one spelling so that the same place compares equal.

Administrators' zone rows and parents' addresses go through the same `canonical()`, so a rule applied
to both sides cannot make them disagree; only `split_address()` is for parents' input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Traditional and variant characters seen in Beijing addresses (OpenCC would be a dependency for ~70 characters).
_VARIANT_PAIRS = (
    "區区號号樓楼棟栋單单層层東东門门條条裏里華华園园國国陽阳豐丰臺台興兴莊庄灣湾橋桥廣广場场衛卫鄉乡鎮镇"
    "開开關关龍龙鳳凤寧宁環环電电機机學学廠厂縣县懷怀順顺義义雲云慶庆頭头溝沟館馆濱滨運运靈灵蘭兰楊杨"
    "劉刘陳陈趙赵錢钱孫孙鄭郑馮冯劍剑嶺岭灘滩壩坝峯峰匯汇滙汇麗丽樂乐廟庙壇坛觀观賓宾蘆芦韓韩燈灯廈厦"
    "衕同衚胡貳贰參叁"
)
_VARIANTS = str.maketrans(dict(zip(_VARIANT_PAIRS[::2], _VARIANT_PAIRS[1::2], strict=True)))

_NUMERAL_CHARS = "〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟"
_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

# Chinese numerals count only where they are a house, building, unit, floor or room number:
# 东四十条 keeps its name, 甲二十二号 becomes 甲22号.
_NUMERAL_BEFORE_MARK = re.compile(f"[{_NUMERAL_CHARS}]+(?=号|栋|幢|座|单元|层|室|#)")
_BUILDING = re.compile(r"([0-9A-Z]+)(?:号楼|栋|幢|座|#楼|#)")
_LANE_STREET = re.compile(r"(条|胡同|巷)街(?!道)")  # 东四十条街 is how many write 东四十条
_NOISE = re.compile(r"[^0-9A-Z\u3007\u3400-\u9fff#-]")
_DASHES = re.compile(r"[‐‑‒–—―~〜～]|至")

COMPOUND_SUFFIX = re.compile(r"(?:小区|社区|家属院|大院|院)$")
ROAD_SUFFIXES = ("路", "街", "胡同", "巷", "条", "道", "沿", "坡", "桥", "口", "辛庄", "营")
# 崇文 and 宣武 merged into 东城 and 西城 in 2010; people still write them.
DISTRICT_ALIASES = {"崇文区": "东城区", "崇文": "东城区", "宣武区": "西城区", "宣武": "西城区"}


def chinese_number(text: str) -> int:
    """二十二 → 22, 一百零五 → 105, 十 → 10; digit by digit when there is no unit (四〇一 → 401)."""
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


def canonical(text: str) -> str:
    """One spelling: half-width, simplified, upper-case Latin, Arabic house numbers, one building word, no spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_VARIANTS).upper()
    text = _NOISE.sub("", _DASHES.sub("-", text))
    text = _NUMERAL_BEFORE_MARK.sub(lambda m: str(chinese_number(m.group())), text)
    text = _BUILDING.sub(r"\1号楼", text).replace("#", "")
    return _LANE_STREET.sub(r"\1", text)


def compound_key(name: str) -> str:
    """小区, 社区 and 院 all mean the compound: 华清嘉园小区 and 华清嘉园社区 share the key 华清嘉园."""
    return COMPOUND_SUFFIX.sub("", canonical(name))


def road_key(name: str) -> str:
    return canonical(name)


def looks_like_road(name: str) -> bool:
    return canonical(name).endswith(ROAD_SUFFIXES)


# The building, unit and room are not part of the place the look-up limit counts (R34).
_TAIL = re.compile(
    r"[0-9A-Z]+号楼|[0-9]+单元|[0-9]+层|(?<=[号院])[0-9]+-[0-9]+(?:-[0-9]+)?$|(?<=[^0-9-])[0-9]+-[0-9]+-[0-9]+$"
)


@dataclass(frozen=True)
class Address:
    text: str  # canonical address without city, district and subdistrict
    place: str  # `text` without building, unit and room
    district_name: str | None  # as recognised at the start of the address
    district_abbreviated: bool = False  # written without 区/县 (东城, 崇文): it may be a place's own name


def split_address(raw: str, district_names: dict[str, str], street_names: set[str], *, strip_district=True) -> Address:
    """Strip 北京市, the district (full or short name) and a leading subdistrict or town.

    `district_names` maps each spelling (东城区, 东城) to the district's full name; `street_names`
    holds the canonical names of subdistricts and towns (东四街道).
    """
    text = canonical(raw)
    text = re.sub(r"^中国", "", text)
    text = re.sub(r"^北京市(?:市辖区)?", "", text)
    district, abbreviated = None, False
    for spelling in sorted({*district_names, *DISTRICT_ALIASES}, key=len, reverse=True) if strip_district else ():
        candidate = text.removeprefix("北京")
        if candidate.startswith(spelling):
            district = district_names.get(spelling) or district_names.get(DISTRICT_ALIASES.get(spelling, ""))
            abbreviated = not spelling.endswith(("区", "县"))
            text = candidate[len(spelling) :]
            break
    for street in sorted(street_names, key=len, reverse=True):
        if text.startswith(street) and len(text) > len(street):
            text = text[len(street) :]
            break
    tail = _TAIL.search(text)
    place = text[: tail.start()] if tail and tail.start() > 0 else text
    return Address(text=text, place=place, district_name=district, district_abbreviated=abbreviated)
