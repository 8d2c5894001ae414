"""Every zone row in memory, keyed by its canonical name: matching an address reads no table.

Each process keeps one snapshot and compares its version with the one in the shared cache; a change
to a zone row, zone, district or subdistrict bumps that version (doctype/zone_area.py), and the next
look-up in every process rebuilds.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache

from apps.bj_enrollment.zones.normalise import Address, canonical, compound_key, road_key, split_address

VERSION_KEY = "zones:index-version"

COMPOUND, RANGE, ROAD = 3, 2, 1  # match levels: a compound beats a street range, which beats a whole street

# [0-9], not \d: canonical() folds full-width digits; other scripts' digits are no house numbers
_HOUSE_NUMBER = re.compile(r"[甲乙丙丁戊]?([0-9]+)(?:号(?!楼)|(?=院|-)|$)")
_BUILDING_NUMBER = re.compile(r"(?:小区|社区|家属院|大院|院)?([0-9]+)号楼")
_LOT_PREFIX = "甲乙丙丁戊"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Rule:
    zone_id: int
    district_id: int
    road: str
    compound: str
    number_from: int | None
    number_to: int | None
    parity: str

    @property
    def level(self) -> int:
        if self.compound:
            return COMPOUND
        return RANGE if self.number_from is not None or self.parity != "all" else ROAD

    def covers(self, number: int | None) -> bool:
        """A compound row without a building number in the address still matches (the parent sees the ranges)."""
        if number is None:
            return bool(self.compound) or self.level == ROAD
        if self.number_from is not None and not self.number_from <= number <= self.number_to:
            return False
        return self.parity == "all" or (number % 2 == 1) == (self.parity == "odd")


@dataclass(frozen=True)
class ZoneFacts:
    district_id: int
    multi_school: bool
    property_cutoff: dt.date | None


@dataclass(frozen=True)
class Match:
    rule: Rule
    number: int | None

    @property
    def level(self) -> int:
        return self.rule.level


@dataclass
class ZoneIndex:
    compounds: dict[str, list[Rule]] = field(default_factory=dict)
    roads: dict[str, list[Rule]] = field(default_factory=dict)
    zones: dict[int, ZoneFacts] = field(default_factory=dict)
    district_spellings: dict[str, str] = field(default_factory=dict)  # 东城区, 东城 -> 东城区
    district_ids: dict[str, int] = field(default_factory=dict)  # 东城区 -> id
    streets: set[str] = field(default_factory=set)
    lengths: tuple[int, ...] = ()

    def parse(self, raw: str) -> Address:
        """The address as written. A district written short (朝阳, 崇文) may begin a place's own
        name (朝阳门北苑, 崇文门外西里): when the address then matches only read whole, it is read whole."""
        address = split_address(raw, self.district_spellings, self.streets)
        if address.district_abbreviated and not self.match(address):
            whole = split_address(raw, self.district_spellings, self.streets, strip_district=False)
            if self.match(whole):
                return whole
        return address

    def district_id(self, address: Address) -> int | None:
        return self.district_ids.get(address.district_name) if address.district_name else None

    def match(self, address: Address) -> list[Match]:
        """Every rule whose name occurs in the address and whose numbers fit, within the named district if any."""
        text, district_id = address.text, self.district_id(address)
        spans: dict[bool, list[tuple[int, int, str]]] = {True: [], False: []}
        for start in range(len(text)):
            for length in self.lengths:
                piece = text[start : start + length]
                if len(piece) < length or not _on_boundary(text, start, start + length):
                    continue
                if piece in self.compounds:
                    spans[True].append((start, start + length, piece))
                if piece in self.roads:
                    spans[False].append((start, start + length, piece))
        matches = []
        for is_compound, found in spans.items():
            for _start, end, key in _outermost(found):
                if is_compound:
                    number_match, rules = _BUILDING_NUMBER.match(text, end), self.compounds[key]
                else:
                    number_match, rules = _HOUSE_NUMBER.match(text, end), self.roads[key]
                number = int(number_match.group(1)) if number_match else None
                matches += [
                    Match(rule, number)
                    for rule in rules
                    if rule.covers(number) and district_id in (None, rule.district_id)
                ]
        return matches


def _on_boundary(text: str, start: int, end: int) -> bool:
    """A key like 22号 must not match inside 122号 or 甲22号, nor a key ending in 1 inside …12."""
    if text[start] in _DIGITS and start > 0 and (text[start - 1] in _DIGITS or text[start - 1] in _LOT_PREFIX):
        return False
    return not (text[end - 1] in _DIGITS and end < len(text) and text[end] in _DIGITS)


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop names found inside a longer one (南大街 inside 中关村南大街)."""
    return [
        span
        for span in spans
        if not any(o[0] <= span[0] and span[1] <= o[1] and (o[1] - o[0]) > (span[1] - span[0]) for o in spans)
    ]


def build() -> ZoneIndex:
    from apps.bj_enrollment.models import District, ServiceZone, Street, ZoneArea

    index = ZoneIndex()
    for district_id, name in District.objects.values_list("id", "name"):
        key = canonical(name)
        index.district_ids[key] = district_id
        index.district_spellings[key] = key
        short = re.sub(r"(?:区|县)$", "", key)
        if len(short) >= 2:
            index.district_spellings.setdefault(short, key)
    index.streets = {canonical(name) for name in Street.objects.values_list("name", flat=True)}
    index.zones = {
        zone_id: ZoneFacts(district_id, multi, cutoff)
        for zone_id, district_id, multi, cutoff in ServiceZone.objects.values_list(
            "id", "district_id", "multi_school", "property_cutoff"
        )
    }
    rows = ZoneArea.objects.values_list("zone_id", "road", "compound", "number_from", "number_to", "parity")
    for zone_id, road, compound, number_from, number_to, parity in rows.iterator(chunk_size=5000):
        rule = Rule(zone_id, index.zones[zone_id].district_id, road, compound, number_from, number_to, parity)
        key = compound_key(road + compound) if compound else road_key(road)
        if len(key) >= 2:
            (index.compounds if compound else index.roads).setdefault(key, []).append(rule)
    index.lengths = tuple(sorted({len(k) for k in (*index.compounds, *index.roads)}, reverse=True))
    return index


_lock = threading.Lock()
_snapshot: tuple[str, ZoneIndex] | None = None


def current() -> ZoneIndex:
    global _snapshot
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    snapshot = _snapshot
    if snapshot is not None and snapshot[0] == version:
        return snapshot[1]
    with _lock:
        if _snapshot is None or _snapshot[0] != version:
            _snapshot = (version, build())
        return _snapshot[1]


def changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
