"""Builds a believable demo city from nothing, idempotently (the `build_demo_site` command).

Reference data (districts, streets, schools, zones, categories, the campaign and its windows) is fetched
or created by its natural key and never changed once there. Applications are generated only when the
campaign has none, so running the builder again adds nothing: it only gives the demo users fresh
passwords. Everything below is demo data; only the names of districts, streets and famous schools are real.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Count, Q, When
from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from apps.bj_enrollment import roles
from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import (
    Gender,
    HousingType,
    HukouCategory,
    IdType,
    Level,
    Ownership,
    RegistryStatus,
    Relationship,
    Stage,
    StreetKind,
)
from apps.bj_enrollment.demo import data
from apps.bj_enrollment.demo.junior import GRADUATES_PER_SCHOOL as JUNIOR_GRADUATES_PER_SCHOOL
from apps.bj_enrollment.demo.junior import build_junior_campaign
from apps.bj_enrollment.demo.registry_data import feed_registry_simulator
from apps.bj_enrollment.models import (
    Application,
    Campaign,
    CampaignWindow,
    Category,
    CategoryClaim,
    Child,
    District,
    DocumentRequirement,
    Guardian,
    Property,
    School,
    ServiceZone,
    StaffScope,
    Street,
    ZoneArea,
)
from apps.bj_enrollment.rules.form_numbers import new_form_numbers, new_verification_code
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.rules.material_numbers import material_numbers
from apps.bj_enrollment.rules.names import pinyin_key
from apps.bj_enrollment.rules.passwords import readable_password
from apps.bj_enrollment.zones import index as zone_index
from apps.lowcode.workflow.definitions import definition_for
from apps.lowcode.workflow.models import Transition, TransitionRecord

Log = Callable[[str], Any]

DEFAULT_APPLICATIONS = 10_000
MAX_APPLICATIONS = 300_000  # form numbers have 6 free digits: 30 % full still leaves a parent 8 tries (R13)
DEFAULT_SEED = 2024
BATCH_SIZE = 2_000
PARENT_ACCOUNTS = 50
DESK_PATH = "/desk/"
CHANGE_REASON = "演示数据"

# Days from today on which each city-wide window opens and closes (closing at the end of that day).
# They overlap on purpose: in a real campaign the stages follow each other, but on the demo site every
# stage has to be open today so that each action can be tried.
WINDOW_DAYS: dict[str, tuple[int, int]] = {
    Stage.REGISTRATION: (-14, 21),
    Stage.FIVE_CERTIFICATE_RESULTS: (-7, 28),
    Stage.SCHOOL_CHECK: (-2, 10),
    Stage.DISTRICT_CONFIRMATION: (-1, 14),
    Stage.RESULTS: (0, 30),
    Stage.LOTTERY: (0, 3),
    Stage.PRIVATE_APPLICATION: (-3, 12),
}
OVERRIDE_DISTRICT = "海淀区"  # sets its own registration window: it closes three days after the city's
OVERRIDE_EXTRA_DAYS = 3

# States in which the family has been to the school, or at least picked one
SCHOOL_STATES = {S.PRE_ADMITTED, S.SCHOOL_REJECTED, S.CONFIRMED, S.DISTRICT_REJECTED}
FIVE_CERTIFICATE_STATES = {S.FIVE_CERTIFICATE_REVIEW, S.FIVE_CERTIFICATE_REJECTED}
# The way through the workflow to each state (R14-R24); ready to print is reached by the identity check
# alone, or, for a family whose papers are reviewed (R4), through the five-certificate approval.
READY_LOCAL = (A.SUBMIT, A.IDENTITY_VERIFIED_LOCAL)
READY_REVIEWED = (A.SUBMIT, A.IDENTITY_VERIFIED_NONLOCAL, A.APPROVE)
PATHS: dict[str, tuple[str, ...]] = {
    S.REGISTERED: (),
    S.IDENTITY_CHECK: (A.SUBMIT,),
    S.IDENTITY_FAILED: (A.SUBMIT, A.IDENTITY_FAILED),
    S.FIVE_CERTIFICATE_REVIEW: (A.SUBMIT, A.IDENTITY_VERIFIED_NONLOCAL),
    S.FIVE_CERTIFICATE_REJECTED: (A.SUBMIT, A.IDENTITY_VERIFIED_NONLOCAL, A.REJECT),
    S.VOID: (A.SUBMIT, A.IDENTITY_FAILED, A.VOID),
}
AFTER_READY: dict[str, tuple[str, ...]] = {
    S.READY_TO_PRINT: (),
    S.PRE_ADMITTED: (A.PRE_ADMIT,),
    S.SCHOOL_REJECTED: (A.REJECT,),
    S.CONFIRMED: (A.PRE_ADMIT, A.CONFIRM_ADMISSION),
    S.DISTRICT_REJECTED: (A.PRE_ADMIT, A.REJECT),
}
REFUSED = {S.IDENTITY_FAILED, S.FIVE_CERTIFICATE_REJECTED, S.SCHOOL_REJECTED, S.DISTRICT_REJECTED}
CANCELLED_FROM = (S.IDENTITY_CHECK, S.IDENTITY_FAILED, S.READY_TO_PRINT)  # after submitting the details
PROPERTY_SHARE = {HukouCategory.LOCAL: 0.72, HukouCategory.NONLOCAL: 0.33}  # about 60 % overall
LOCAL_SHARE = 0.70


# --- results --------------------------------------------------------------------------------------


@dataclass
class DemoUser:
    username: str
    role: str
    scope: str
    password: str
    path: str = DESK_PATH


@dataclass
class BuildResult:
    seed: int
    campaign: str
    applications_created: int
    seconds: float
    counts: dict[str, int]
    states: dict[str, int]
    users: list[DemoUser]
    parent_password: str
    parent_accounts: int
    parent_example: str | None


# --- helpers --------------------------------------------------------------------------------------


def _stable_int(text: str, low: int, high: int) -> int:
    """A number in [low, high] that depends only on `text`: reference data does not depend on the seed."""
    return low + zlib.crc32(text.encode()) % (high - low + 1)


def _street_root(name: str) -> str:
    for suffix in ("街道", "地区", "镇"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _street_kind(name: str) -> str:
    if name.endswith("镇"):
        return StreetKind.TOWN
    if name.endswith("地区"):
        return StreetKind.AREA
    return StreetKind.SUBDISTRICT


def _short_school_name(school_name: str, district_name: str) -> str:
    return school_name.removeprefix(f"北京市{district_name}").removeprefix("北京市") or school_name


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@functools.cache
def _region_valid(region: str, year: int) -> bool:
    """Whether python-stdnum (hence check_resident_id) accepts this region code for someone born that year."""
    try:
        ric.get_birth_place(make_resident_id(region, dt.date(year, 6, 1), 1, Gender.MALE))
    except StdnumValidationError:
        return False
    return True


class _Weighted:
    def __init__(self, pairs: Sequence[tuple[Any, float]]):
        self.values = [v for v, _w in pairs]
        total, self.cum = 0.0, []
        for _v, w in pairs:
            total += w
            self.cum.append(total)

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


# --- reference data -------------------------------------------------------------------------------


@dataclass
class _SchoolSpec:
    district: str
    code: str
    name: str
    street: str | None
    private: bool
    junior: bool
    address: str
    lanes: tuple[str, ...] = ()


def school_specs() -> list[_SchoolSpec]:
    """Every demo school, in a fixed order; codes are the district code plus a 4-digit number."""
    specs = []
    for code, district, *_rest in data.DISTRICTS:
        streets = data.STREETS.get(district, [])
        rows = []
        if district in data.DETAILED_SCHOOLS:
            for name, street, private, junior, address, lanes in data.DETAILED_SCHOOLS[district]:
                rows.append((name, street, private, junior, f"北京市{district}{address}", lanes))
        else:
            root = _street_root(streets[0]) if streets else "第三中心"
            names = [(p.format(d=district, root=root), False, False) for p in data.PATTERNED_SCHOOLS]
            names += data.EXTRA_SCHOOLS.get(district, [])
            for i, (name, private, junior) in enumerate(names):
                # the school named after the first street lies in it; the others go round the streets
                street = (streets[0] if i == 3 else streets[(i + 1) % len(streets)]) if streets else None
                road = data.SCHOOL_ROADS[_stable_int(name, 0, len(data.SCHOOL_ROADS) - 1)]
                place = street if street and not street.endswith("街道") else ""  # 北京市通州区宋庄镇…
                address = f"北京市{district}{place}{road}{_stable_int(name + '#', 1, 199)}号"
                rows.append((name, street, private, junior, address, ()))
        for i, (name, street, private, junior, address, lanes) in enumerate(rows, start=1):
            code_i = f"{code}{i:04d}"
            specs.append(_SchoolSpec(district, code_i, name, street, private, junior, address, lanes))
    return specs


def school_homes(specs: Sequence[_SchoolSpec]) -> dict[str, list[tuple[str, int]]]:
    """The service zone of each public school: (compound, number of buildings) or (lane, 0), by school code.

    Schools in the same street share out that street's compounds; schools in a district without streets
    each get a compound root of their own. Deterministic, so a later run finds the same zones.
    """
    groups: dict[tuple[str, str], list[_SchoolSpec]] = defaultdict(list)
    position_in_district: Counter[str] = Counter()
    for spec in specs:
        if spec.private:
            continue
        if spec.street:
            groups[(spec.district, _street_root(spec.street))].append(spec)
        else:
            root = data.COMPOUND_ROOTS[position_in_district[spec.district] % len(data.COMPOUND_ROOTS)]
            position_in_district[spec.district] += 1
            groups[(spec.district, root)].append(spec)
    homes: dict[str, list[tuple[str, int]]] = {}
    for (_district, root), members in groups.items():
        suffixes = list(data.COMPOUND_SUFFIXES)
        start = _stable_int(root, 0, len(suffixes) - 1)
        pool = [root + s for s in suffixes[start:] + suffixes[:start]]
        for j, spec in enumerate(members):
            compounds = pool[j :: len(members)][:4]
            homes[spec.code] = [(c, _stable_int(c, 4, 24)) for c in compounds]
            homes[spec.code] += [(lane, 0) for lane in spec.lanes]
    return homes


def _zone_lines(homes: Sequence[tuple[str, int]]) -> str:
    lines = [f"{place}（全部门牌）" if buildings == 0 else f"{place}1-{buildings}号楼" for place, buildings in homes]
    return "\n".join(lines)


def build_districts(log: Log) -> dict[str, District]:
    created = 0
    for order, (code, name, hotline, address, _weight) in enumerate(data.DISTRICTS, start=1):
        _obj, new = District.objects.get_or_create(
            code=code,
            defaults={"name": name, "contact_phone": hotline, "address": address, "sort_order": order},
        )
        created += new
    by_code = {d.code: d for d in District.objects.filter(code__in=[row[0] for row in data.DISTRICTS])}
    log(f"districts: {len(by_code)} ({created} new)")
    return {name: by_code[code] for code, name, *_rest in data.DISTRICTS}


def build_streets(districts: dict[str, District], log: Log) -> dict[tuple[str, str], Street]:
    existing = {(s.district_id, s.name) for s in Street.objects.all().only("district_id", "name")}
    new = []
    for district_name, names in data.STREETS.items():
        district = districts[district_name]
        for i, name in enumerate(names, start=1):
            if (district.pk, name) not in existing:
                new.append(
                    Street(district=district, name=name, code=f"{district.code}{i:03d}000", kind=_street_kind(name))
                )
    Street.objects.bulk_create(new)
    by_key = {(s.district_id, s.name): s for s in Street.objects.filter(district__in=districts.values())}
    streets = {
        (district_name, name): by_key[(districts[district_name].pk, name)]
        for district_name, names in data.STREETS.items()
        for name in names
    }
    log(f"streets and towns: {len(streets)} ({len(new)} new)")
    return streets


def build_schools(
    districts: dict[str, District],
    streets: dict[tuple[str, str], Street],
    specs: Sequence[_SchoolSpec],
    log: Log,
) -> dict[str, School]:
    existing = set(School.objects.filter(code__in=[s.code for s in specs]).values_list("code", flat=True))
    new = [
        School(
            district=districts[spec.district],
            street=streets[(spec.district, spec.street)] if spec.street else None,
            code=spec.code,
            name=spec.name,
            ownership=Ownership.PRIVATE if spec.private else Ownership.PUBLIC,
            offers_primary=True,
            offers_junior=spec.junior,
            address=spec.address,
            phone=f"010-{'68'[_stable_int(spec.name, 0, 1)]}{_stable_int(spec.name + 'tel', 0, 9_999_999):07d}",
        )
        for spec in specs
        if spec.code not in existing
    ]
    School.objects.bulk_create(new)
    schools = {s.code: s for s in School.objects.filter(code__in=[s.code for s in specs])}
    log(
        f"schools: {len(schools)} ({len(new)} new, {sum(s.private for s in specs)} private, "
        f"{sum(s.junior for s in specs)} also junior high)"
    )
    return schools


def build_service_zones(
    districts: dict[str, District],
    schools: dict[str, School],
    specs: Sequence[_SchoolSpec],
    homes: dict[str, list[tuple[str, int]]],
    log: Log,
) -> None:
    """One zone per public school, and one multi-school zone per detailed district (R34, R35).

    Private schools have no zone: they admit by application (R43).
    """
    created = 0
    for spec in specs:
        if spec.code not in homes:
            continue
        school = schools[spec.code]
        zone, new = ServiceZone.objects.get_or_create(
            district=districts[spec.district],
            name=f"{_short_school_name(spec.name, spec.district)}服务片区",
            defaults={"areas": _zone_lines(homes[spec.code])},
        )
        if new:
            zone.schools.add(school)
            created += 1
        _zone_rows(zone, homes[spec.code])
    by_name = {s.name: s for s in schools.values()}
    for district_name, (name, school_names, compounds, cutoff) in data.MULTI_SCHOOL_ZONES.items():
        zone, new = ServiceZone.objects.get_or_create(
            district=districts[district_name],
            name=name,
            defaults={
                "areas": _zone_lines([(c, _stable_int(c, 4, 24)) for c in compounds]),
                "multi_school": True,
                "property_cutoff": cutoff,
                "note": (
                    f"不动产权证书登记日期晚于{cutoff.year}年{cutoff.month}月{cutoff.day}日的，"
                    "在本片区学校中电脑随机派位（R35）。"
                ),
            },
        )
        if new:
            zone.schools.add(*(by_name[n] for n in school_names))
            created += 1
        _zone_rows(zone, [(c, _stable_int(c, 4, 24)) for c in compounds])
    log(f"service zones: {ServiceZone.objects.count()} ({created} new), {ZoneArea.objects.count()} address rows")
    zone_index.changed()


def _zone_rows(zone: ServiceZone, homes: Sequence[tuple[str, int]]) -> None:
    """The rows the look-up matches (R34): a compound with its buildings, a lane with every number.
    A zone that already has rows (an administrator's, or an earlier build's) keeps them."""
    if zone.area_rows.exists():
        return
    ZoneArea.objects.bulk_create(
        ZoneArea(zone=zone, road="", compound=place, number_from=1, number_to=buildings)
        if buildings
        else ZoneArea(zone=zone, road=place, compound="")
        for place, buildings in homes
    )


def build_categories(log: Log) -> dict[str, Category]:
    created = 0
    for code, name, kind in data.CATEGORIES:
        _obj, new = Category.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "description": data.CATEGORY_DESCRIPTIONS[kind]}
        )
        created += new
    categories = {c.code: c for c in Category.objects.filter(code__in=[row[0] for row in data.CATEGORIES])}
    log(f"special categories: {len(categories)} ({created} new)")
    return categories


def build_campaign(districts: dict[str, District], log: Log) -> Campaign:
    """This year's primary campaign with every stage open today; an existing campaign is left as it is."""
    today = timezone.localdate()
    year = today.year
    campaign, new = Campaign.objects.get_or_create(
        year=year,
        level=Level.PRIMARY,
        defaults={
            "name": f"{year}年义务教育入学（小学）",
            "age_cutoff": dt.date(year - 6, 8, 31),
            "cohort_start": dt.date(year - 7, 9, 1),
        },
    )
    created = 0
    for stage, (opens, closes) in WINDOW_DAYS.items():
        _window, was_new = CampaignWindow.objects.get_or_create(
            campaign=campaign,
            stage=stage,
            district=None,
            defaults={
                "opens_at": _day_start(today + dt.timedelta(days=opens)),
                "closes_at": _day_start(today + dt.timedelta(days=closes + 1)),
            },
        )
        created += was_new
    city = campaign.windows.get(stage=Stage.REGISTRATION, district=None)
    _window, was_new = CampaignWindow.objects.get_or_create(
        campaign=campaign,
        stage=Stage.REGISTRATION,
        district=districts[OVERRIDE_DISTRICT],
        defaults={
            "opens_at": city.opens_at,
            "closes_at": city.closes_at + dt.timedelta(days=OVERRIDE_EXTRA_DAYS),
        },
    )
    created += was_new
    log(f"campaign: {campaign.name} ({'new' if new else 'existing'}), windows: {created} new")
    if not campaign.is_open(Stage.REGISTRATION):
        log("note: the registration window of this campaign is not open now (created on an earlier day)")
    return campaign


def build_document_requirements(campaign: Campaign, log: Log) -> None:
    """The documents the districts ask this campaign's families for; existing ones are left as they are."""
    created = 0
    for position, (name, hukou, required, max_files, instructions) in enumerate(data.DOCUMENT_REQUIREMENTS, 1):
        _obj, new = DocumentRequirement.objects.get_or_create(
            campaign=campaign,
            district=None,
            name=name,
            hukou_category=hukou,
            defaults={"required": required, "max_files": max_files, "instructions": instructions, "position": position},
        )
        created += new
    log(f"document requirements: {len(data.DOCUMENT_REQUIREMENTS)} ({created} new)")


def _reviewed(family: _Family) -> bool:
    """Non-local and in no category that counts as local: the five-certificate review applies (R4, R5)."""
    return family.hukou == HukouCategory.NONLOCAL and not family.counts_as_local


# --- applications ---------------------------------------------------------------------------------


@dataclass
class _Family:
    hukou: str
    counts_as_local: bool
    district: District
    region: tuple[str, str, str, str] | None  # non-local hukou: code, province, city, county
    home_school: School
    street: Street | None
    address: str
    hukou_address: str
    household_number: str
    surname: str
    child_surname: str
    ethnicity: str
    mobile: str
    single_guardian: bool
    guardians: list[dict]
    properties: list[dict]
    housing_type: str
    categories: list[Category]
    registered_at: dt.datetime | None = None


@dataclass
class _Plan:
    family: _Family
    child: Child
    state: str = ""
    fixed: bool = False  # the cancelled first registration of a child who registered again
    reregistered: bool = False
    registered_at: dt.datetime | None = None
    extra: dict = field(default_factory=dict)


class ApplicationFactory:
    """Generates `n` applications with their children, guardians and properties, then bulk-inserts them."""

    def __init__(
        self,
        campaign: Campaign,
        districts: dict[str, District],
        schools: dict[str, School],
        specs: Sequence[_SchoolSpec],
        homes: dict[str, list[tuple[str, int]]],
        categories: dict[str, Category],
        rng: random.Random,
        log: Log,
    ):
        self.campaign, self.rng, self.log = campaign, rng, log
        self.districts = districts
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.district_pick = _Weighted([(districts[name], w) for _c, name, _h, _a, w in data.DISTRICTS])
        self.region_pick = _Weighted([(row[:4], row[4]) for row in data.OTHER_REGIONS])
        self.surname_pick = _Weighted(data.SURNAMES)
        self.ethnicity_pick = _Weighted(data.ETHNICITIES)
        self.education_pick = _Weighted(data.EDUCATION)
        self.work_pick = _Weighted(data.WORK_TYPES)
        self.property_type_pick = _Weighted(data.PROPERTY_TYPES)
        self.housing_pick = _Weighted(
            [(HousingType.RENTED, 78), (HousingType.PUBLIC_HOUSING, 12), (HousingType.OTHER, 10)]
        )
        self.local_states = _Weighted(list(data.LOCAL_STATE_WEIGHTS.items()))
        self.nonlocal_states = _Weighted(list(data.NONLOCAL_STATE_WEIGHTS.items()))
        self.counts_as_local_pick = _Weighted(
            [
                (categories["work-residence-permit"], 50),
                (categories["military-family"], 20),
                (categories["postdoc"], 15),
                (categories["overseas-chinese"], 10),
                (categories["taiwan-compatriot"], 5),
            ]
        )
        self.priority_pick = _Weighted(
            [
                (categories["active-military"], 6),
                (categories["model-worker"], 5),
                (categories["martyr"], 1),
            ]
        )
        spec_by_code = {s.code: s for s in specs}
        self.public_schools: dict[int, list[School]] = defaultdict(list)
        self.private_schools: dict[int, list[School]] = defaultdict(list)
        for code, school in schools.items():
            spec = spec_by_code[code]
            (self.private_schools if spec.private else self.public_schools)[school.district_id].append(school)
        self.homes = {schools[code].pk: places for code, places in homes.items()}
        self.multi_zone: dict[int, tuple[list[School], list[tuple[str, int]]]] = {}
        by_name = {s.name: s for s in schools.values()}
        for district_name, (_name, school_names, compounds, _cutoff) in data.MULTI_SCHOOL_ZONES.items():
            self.multi_zone[districts[district_name].pk] = (
                [by_name[n] for n in school_names],
                [(c, _stable_int(c, 4, 24)) for c in compounds],
            )
        self.used_ids = set(Child.objects.values_list("id_number", flat=True))
        self.used_mobiles = set(Application.objects.values_list("mobile", flat=True))
        self.workflow = definition_for(Application)
        if self.workflow is None:
            raise RuntimeError("no active workflow for applications: run migrate first")
        self.transitions: dict[tuple[str, ...], list[Transition]] = {}
        registration = campaign.window(Stage.REGISTRATION)
        self.registration_opens = registration.opens_at if registration else self.now - dt.timedelta(days=14)
        end = min(self.now, registration.closes_at) if registration else self.now
        self.registration_ends = max(end, self.registration_opens + dt.timedelta(hours=1))

    # people ---------------------------------------------------------------------------------------

    def _given_name(self, chars: str, two_share: float) -> str:
        rng = self.rng
        if rng.random() >= two_share:
            return rng.choice(chars)
        first, second = rng.choice(chars), rng.choice(chars)
        while second == first and rng.random() > 0.03:  # 可可, 乐乐: rare but real
            second = rng.choice(chars)
        return first + second

    def _resident_id(self, region: str, birth: dt.date, gender: str) -> str:
        for _ in range(100):
            number = make_resident_id(region, birth, self.rng.randrange(1, 500), gender)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError(f"no free ID number for {region} {birth}")

    def _mobile(self) -> str:
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_mobiles:
                self.used_mobiles.add(number)
                return number

    def _birth_in_cohort(self) -> dt.date:
        start, end = self.campaign.cohort_start, self.campaign.age_cutoff
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _adult_identity(self, gender: str, child_birth: dt.date, region: str) -> tuple[dt.date, str]:
        """Birth date and ID number of a parent; before an outer district became a 区 its old code applies."""
        rng = self.rng
        age = rng.triangular(25, 43, 32) if gender == Gender.MALE else rng.triangular(23, 41, 29)
        year = child_birth.year - int(age)
        while True:
            codes = (region, data.HISTORICAL_REGION_CODES.get(region))
            usable = [c for c in codes if c and _region_valid(c, year)]
            if usable or year >= child_birth.year - 20:
                break
            year += 1  # stdnum only knows codes from 1982 on: make the parent a little younger
        code = usable[0] if usable else "110108"
        birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        return birth, self._resident_id(code, birth, gender)

    def _employer(self, district: District) -> tuple[str, str, str]:
        rng = self.rng
        work_type = self.work_pick.pick(rng)
        if work_type == "无业":
            return work_type, "", ""
        where = district if rng.random() < 0.6 else self.district_pick.pick(rng)
        if work_type == "军人":
            employer = "中国人民解放军某部"
        elif work_type == "个体工商户":
            employer = f"{where.name}{rng.choice(data.COMPOUND_ROOTS)}{rng.choice(data.SHOPS)}"
        elif work_type == "公务员":
            employer = f"北京市{where.name}{rng.choice(data.GOVERNMENT_OFFICES)}"
        elif work_type == "事业单位人员" or (work_type == "专业技术人员" and rng.random() < 0.3):
            employer = f"北京市{where.name}{rng.choice(data.INSTITUTIONS)}"
        else:
            employer = f"北京{rng.choice(data.EMPLOYER_WORDS)}{rng.choice(data.EMPLOYER_KINDS)}"
        return work_type, employer, where.name

    def _guardian(
        self,
        position: int,
        relationship: str,
        name: str,
        gender: str,
        child_birth: dt.date,
        family_region: str,
        hukou_place: str,
        phone: str,
        district: District,
        is_nonlocal: bool,
    ) -> dict:
        rng = self.rng
        birth_region = family_region
        if not is_nonlocal and rng.random() < 0.3:  # many Beijing parents were born elsewhere
            birth_region = self.region_pick.pick(rng)[0]
        _birth, id_number = self._adult_identity(gender, child_birth, birth_region)
        work_type, employer, employer_district = self._employer(district)
        row = {
            "position": position,
            "name": name,
            "relationship": relationship,
            "nationality": "中国",
            "hukou_place": hukou_place,
            "id_type": IdType.RESIDENT_ID,
            "id_number": id_number,
            "education": self.education_pick.pick(rng),
            "phone": phone,
            "work_type": work_type,
            "employer": employer,
            "employer_district": employer_district,
            "residence_permit_number": "",
            "residence_permit_since": None,
        }
        if is_nonlocal and (position == 1 or rng.random() < 0.6):
            # some permits are too recent for the minimum duration (R18)
            months = rng.randint(3, 11) if rng.random() < 0.1 else rng.randint(12, 110)
            since = self.today - dt.timedelta(days=int(months * 30.4) + rng.randint(0, 20))
            row["residence_permit_since"] = since
            row["residence_permit_number"] = f"{district.code}{since:%Y}{rng.randrange(10**7):07d}"
        return row

    def _home(self, district: District) -> tuple[School, str, str]:
        """A public school of the district and an address in its zone (now and then a multi-school zone)."""
        rng = self.rng
        school = rng.choice(self.public_schools[district.pk])
        places = self.homes[school.pk]
        multi = self.multi_zone.get(district.pk)
        if multi and rng.random() < 0.08:
            school = rng.choice(multi[0])
            places = multi[1]
        lanes = [p for p in places if p[1] == 0]
        if lanes and rng.random() < data.LANE_SHARE:
            lane = rng.choice(lanes)[0]
            return school, lane, f"{lane}{rng.randint(1, 80)}号"
        compound, buildings = rng.choice([p for p in places if p[1]])
        floor = rng.randint(1, rng.choice((6, 6, 16, 24)))
        address = (
            f"{compound}{rng.randint(1, buildings)}号楼{rng.randint(1, rng.choice((2, 3, 4, 6)))}单元"
            f"{floor}{rng.randint(1, 4):02d}室"
        )
        return school, compound, address

    def _properties(
        self, fam_surname: str, father: str, mother: str, district: District, address: str, sole: str | None
    ) -> list[dict]:
        rng = self.rng
        year = self.campaign.year

        def certificate(owner_relationship, owners, family_owned, where, earliest=2016):
            cert_year = rng.randint(earliest, year - 1)
            cert_date = min(
                dt.date(cert_year, rng.randint(1, 12), rng.randint(1, 28)), self.today - dt.timedelta(days=60)
            )
            number = f"京({cert_date.year}){district.name}不动产权第{rng.randrange(1, 10**7):07d}号"
            return {
                "certificate_number": number,
                "owners": owners,
                "owner_relationship": owner_relationship,
                "family_owned": family_owned,
                "address": f"北京市{district.name}{where}",
                "district": district,
                "certificate_date": cert_date,
                "property_type": self.property_type_pick.pick(rng),
            }

        if rng.random() < 0.92:
            r = rng.random()
            if sole == "mother" or (not sole and r < 0.2):
                first = certificate("母亲", mother, True, address)
            elif sole == "father" or r < 0.4:
                first = certificate("父亲", father, True, address)
            else:
                first = certificate("父母", f"{father}、{mother}", True, address)
            rows = [first]
            if rng.random() < 0.05:  # the grandparents' flat as well: R16 prefers the family-owned one
                _school, _place, other = self._home(district)
                grandfather = fam_surname + self._given_name(data.MAN_CHARS, 0.4)
                rows.append(certificate("祖父母", grandfather, False, other))
            return rows
        grandfather = fam_surname + self._given_name(data.MAN_CHARS, 0.4)
        return [certificate(rng.choice(("祖父母", "外祖父母")), grandfather, False, address)]

    def _family(self) -> _Family:
        rng = self.rng
        local = rng.random() < LOCAL_SHARE
        # local: the hukou district; non-local: the residence district
        district = self.district_pick.pick(rng)
        region = None if local else self.region_pick.pick(rng)
        categories, counts_as_local = [], False
        if not local and rng.random() < 0.05:
            categories.append(self.counts_as_local_pick.pick(rng))
            counts_as_local = True
        if rng.random() < 0.012:
            categories.append(self.priority_pick.pick(rng))
        school, _place, address = self._home(district)
        if local:
            hukou_place = f"北京市{district.name}"
            hukou_address = address if rng.random() < 0.7 else self._home(district)[2]
            hukou_address = f"北京市{district.name}{hukou_address}"
            family_region = district.code
        else:
            code, province, city, county = region
            hukou_place = f"{province}{city}{county}"
            hukou_address = f"{hukou_place}{rng.choice(data.HOMETOWN_ROADS)}{rng.randint(1, 300)}号"
            family_region = code
        surname = self.surname_pick.pick(rng)
        father = surname + self._given_name(data.MAN_CHARS, 0.55)
        mother_surname = self.surname_pick.pick(rng)
        mother = mother_surname + self._given_name(data.WOMAN_CHARS, 0.6)
        mobile = self._mobile()
        single = rng.random() < 0.06
        mother_first = rng.random() < (0.8 if single else 0.55)
        # the child's birth date is only known later; parents' ages are relative to the cohort
        cohort_birth = self.campaign.age_cutoff
        people = [
            ("mother", mother, Gender.FEMALE, Relationship.MOTHER),
            ("father", father, Gender.MALE, Relationship.FATHER),
        ]
        if not mother_first:
            people.reverse()
        guardians = []
        for position, (_who, name, gender, relationship) in enumerate(people[: 1 if single else 2], start=1):
            phone = mobile if position == 1 else self._mobile()
            guardians.append(
                self._guardian(
                    position,
                    relationship,
                    name,
                    gender,
                    cohort_birth,
                    family_region,
                    hukou_place,
                    phone,
                    district,
                    not local,
                )
            )
        hukou = HukouCategory.LOCAL if local else HukouCategory.NONLOCAL
        properties = []
        if rng.random() < PROPERTY_SHARE[hukou]:
            sole = ("mother" if mother_first else "father") if single else None
            properties = self._properties(surname, father, mother, district, address, sole)
        if properties and properties[0]["family_owned"]:
            housing = HousingType.OWNED
        elif properties:
            housing = HousingType.OTHER
        else:
            housing = self.housing_pick.pick(rng)
        return _Family(
            hukou=hukou,
            counts_as_local=counts_as_local,
            district=district,
            region=region,
            home_school=school,
            street=school.street,
            address=address,
            hukou_address=hukou_address,
            household_number=f"{rng.randrange(10**8, 10**9)}",
            surname=surname,
            child_surname=mother_surname if rng.random() < 0.04 else surname,  # some take the mother's
            ethnicity=self.ethnicity_pick.pick(rng),
            mobile=mobile,
            single_guardian=single,
            guardians=guardians,
            properties=properties,
            housing_type=housing,
            categories=categories,
        )

    def _child(self, family: _Family, birth: dt.date, siblings: Sequence[Child] = ()) -> Child:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.515 else Gender.FEMALE
        chars = data.BOY_CHARS if gender == Gender.MALE else data.GIRL_CHARS
        name = family.child_surname + self._given_name(chars, 0.82)
        while name in {s.name for s in siblings}:
            name = family.child_surname + self._given_name(chars, 1.0)
        region = family.district.code if family.hukou == HukouCategory.LOCAL else family.region[0]
        local = family.hukou == HukouCategory.LOCAL
        return Child(
            name=name,
            gender=gender,
            birth_date=birth,
            id_type=IdType.RESIDENT_ID,
            id_number=self._resident_id(region, birth, gender),
            nationality="中国",
            ethnicity=family.ethnicity,
            hukou_province="北京市" if local else family.region[1],
            hukou_district=family.district if local else None,
            hukou_address=family.hukou_address,
            household_number=family.household_number,
        )

    # plan -----------------------------------------------------------------------------------------

    def _draw_state(self, family: _Family) -> str:
        weights = self.nonlocal_states if _reviewed(family) else self.local_states
        return weights.pick(self.rng)

    def plan(self, n: int) -> list[_Plan]:
        rng = self.rng
        plans: list[_Plan] = []
        while len(plans) < n:
            family = self._family()
            birth = self._birth_in_cohort()
            r = rng.random()
            if r < 0.01:  # registered, cancelled, registered again (R14, R33)
                child = self._child(family, birth)
                group = [
                    _Plan(family, child, state=S.CANCELLED, fixed=True),
                    _Plan(family, child, reregistered=True),
                ]
            else:
                # triplets: three accounts on one mobile, the most R10 allows; twins; one child
                size = 3 if r < 0.015 else 2 if r < 0.075 else 1
                children: list[Child] = []
                for _ in range(size):
                    children.append(self._child(family, birth, children))
                group = [_Plan(family, child) for child in children]
            for plan in group:
                while not plan.state:
                    state = self._draw_state(family)
                    if not (plan.reregistered and state in S.ended()):
                        plan.state = state
            plans.extend(group)
        del plans[n:]
        self._cover_every_state(plans)
        return plans

    def _cover_every_state(self, plans: list[_Plan]) -> None:
        """Small demo sites too get at least one application in every state, where the count allows."""
        counts = Counter(p.state for p in plans)
        for state in S.values:
            if counts[state]:
                continue
            needs_nonlocal = state in FIVE_CERTIFICATE_STATES
            candidates = [
                p
                for p in plans
                if not p.fixed
                and counts[p.state] > 1
                and not (p.reregistered and state in S.ended())
                and (not needs_nonlocal or _reviewed(p.family))
            ]
            if not candidates:
                self.log(f"note: no application could be put in state {state} (too few applications)")
                continue
            plan = self.rng.choice(candidates)
            counts[plan.state] -= 1
            plan.state = state
            counts[state] += 1

    def _times(self, plans: list[_Plan]) -> None:
        """registered_at over the registration window, busier early on and by day (R7: it has no effect)."""
        rng = self.rng
        opens, ends = self.registration_opens, self.registration_ends
        span = (ends - opens).total_seconds()
        hours = list(range(24))
        hour_weights = [1, 0.5, 0.2, 0.1, 0.1, 0.2, 1, 3, 6, 9, 10, 9, 7, 7, 8, 8, 7, 6, 6, 8, 9, 8, 5, 2]

        def draw() -> dt.datetime:
            day_start = timezone.localtime(opens).replace(hour=0, minute=0, second=0, microsecond=0)
            days = (ends - day_start).total_seconds() / 86400
            day = int(rng.betavariate(1.1, 2.2) * days)
            hour = rng.choices(hours, weights=hour_weights)[0]
            moment = day_start + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
            if opens <= moment < ends:
                return moment
            return opens + dt.timedelta(seconds=rng.random() * span)

        for plan in plans:
            family = plan.family
            if family.registered_at is None:
                family.registered_at = draw()
            if plan.fixed:
                plan.registered_at = family.registered_at
            elif plan.reregistered:
                later = family.registered_at + dt.timedelta(hours=rng.uniform(1, 96))
                plan.registered_at = min(later, ends - dt.timedelta(seconds=1))
            else:  # twins and triplets: one after the other in the same evening
                soon = family.registered_at + dt.timedelta(minutes=rng.uniform(0, 25))
                plan.registered_at = min(soon, ends)
            family.registered_at = max(family.registered_at, plan.registered_at)

    # insert ---------------------------------------------------------------------------------------

    def _in_multi_zone(self, family) -> bool:
        multi = self.multi_zone.get(family.district.pk)
        return bool(multi) and any(family.address.startswith(place) for place, _buildings in multi[1])

    def _application(self, plan: _Plan, form_number: str) -> Application:
        rng, family, state = self.rng, plan.family, plan.state
        school = None
        # R23: ready to print means the single school of the home's zone is set; a home in a
        # multi-school zone waits for the zone lottery (rules/zone_schools.assign_zone_school)
        if state in SCHOOL_STATES or (state == S.READY_TO_PRINT and not self._in_multi_zone(family)):
            school = family.home_school
            private = self.private_schools.get(family.district.pk)
            if private and state in (S.PRE_ADMITTED, S.CONFIRMED) and rng.random() < 0.04:
                school = rng.choice(private)  # R43: admitted by a private school
        if plan.fixed:
            remarks = data.REREGISTERED_REMARK
        else:
            remarks = rng.choice(data.REMARKS[state]) if state in data.REMARKS else ""
        confirmed_at = None
        if state != S.REGISTERED and not (state in S.ended() and rng.random() < 0.5):
            delay = dt.timedelta(minutes=rng.randint(5, 3 * 24 * 60))
            confirmed_at = min(plan.registered_at + delay, self.now)
        last = confirmed_at or plan.registered_at
        if state not in (S.REGISTERED, S.IDENTITY_CHECK):
            last = min(last + dt.timedelta(hours=rng.uniform(1, 24 * 5)), self.now)
        plan.extra["updated_at"] = last
        steps = self._steps(plan, confirmed_at, last, remarks)
        plan.extra["steps"] = steps
        reason = steps[-1][1] if state in REFUSED else ""
        return Application(
            campaign=self.campaign,
            child=plan.child,
            district=family.district,
            school=school,
            form_number=form_number,
            verification_code=new_verification_code(),
            state=state,
            mobile=family.mobile,
            hukou_category=family.hukou,
            residence_district=family.district,
            residence_street=family.street,
            residence_address=family.address,
            housing_type=family.housing_type,
            single_guardian=family.single_guardian,
            rejection_reason=reason,
            remarks=remarks,
            details_confirmed_at=confirmed_at,
        )

    def _path(self, plan: _Plan, confirmed_at) -> tuple[str, ...]:
        state, family = plan.state, plan.family
        ready = READY_REVIEWED if _reviewed(family) else READY_LOCAL
        if state in AFTER_READY:
            return ready + AFTER_READY[state]
        if state in (S.CANCELLED, S.VOID) and confirmed_at is None:
            return (A.CANCEL if state == S.CANCELLED else A.VOID,)  # before the details were submitted
        if state == S.CANCELLED:
            before = self.rng.choice(CANCELLED_FROM)
            return (ready if before == S.READY_TO_PRINT else PATHS[before]) + (A.CANCEL,)
        return PATHS[state]

    def _transitions(self, path: tuple[str, ...], target: str) -> list[Transition]:
        """The workflow's own transitions along `path` from its initial state; refuses a path the
        stored workflow (which administrators may edit) does not have."""
        found = self.transitions.get(path)
        if found is None:
            found, state = [], self.workflow.workflow.initial_state
            for action in path:
                transition = self.workflow.transition(state, action)
                if transition is None:
                    raise RuntimeError(f"the application workflow has no action {action!r} from {state!r}")
                found.append(transition)
                state = transition.to_state
            if state != target:
                raise RuntimeError(f"the actions {path} lead to {state!r}, not {target!r}")
            self.transitions[path] = found
        return found

    def _steps(self, plan: _Plan, confirmed_at, last, remarks: str) -> list[tuple[Transition, str, dt.datetime]]:
        """(transition, reason, time) for each step from registration to the plan's state: the details
        submitted when confirmed, the other steps by `last`, refusals with one of their preset reasons."""
        rng = self.rng
        transitions = self._transitions(self._path(plan, confirmed_at), plan.state)
        start = confirmed_at or plan.registered_at
        span = max((last - start).total_seconds(), 0)
        times = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in transitions)
        if times:
            times[-1] = last
        steps = []
        for transition, at in zip(transitions, times, strict=True):
            if transition.action == A.SUBMIT:
                at = start
            reason = ""
            if transition.reason_required:
                options = transition.reason_options.splitlines()
                reason = remarks if transition.to_state == S.VOID else rng.choice(
                    options or data.REJECTION_REASONS[transition.to_state]
                )
            steps.append((transition, reason, at))
        return steps

    def _number_approvals(self, plans: list[_Plan], apps: list[Application]) -> None:
        """The material numbers the five-certificate approvals issued (R4), in the order they were approved."""
        approvals = defaultdict(list)
        for plan, app in zip(plans, apps, strict=True):
            for transition, _reason, at in plan.extra["steps"]:
                if (transition.from_state, transition.to_state) == (S.FIVE_CERTIFICATE_REVIEW, S.READY_TO_PRINT):
                    approvals[app.district].append((at, app))
        for district, approved in approvals.items():
            numbers = material_numbers(district, self.campaign)
            for _at, app in sorted(approved, key=lambda pair: pair[0]):
                app.material_number = next(numbers)

    def _records(self, plans: list[_Plan], apps: list[Application]) -> list[TransitionRecord]:
        """The workflow's transition records for the generated paths (user None: nobody in particular acted)."""
        content_type = ContentType.objects.get_for_model(Application)
        records = [
            TransitionRecord(
                content_type=content_type, object_id=str(app.pk), workflow=self.workflow.workflow,
                action=transition.action, from_state=transition.from_state, to_state=transition.to_state,
                user=None, reason=reason, created_at=at,
            )
            for plan, app in zip(plans, apps, strict=True)
            for transition, reason, at in plan.extra["steps"]
        ]  # fmt: skip
        TransitionRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
        return records

    def build(self, n: int) -> list[Application]:
        started = time.perf_counter()

        def log(message: str) -> None:
            self.log(f"  {message} ({time.perf_counter() - started:.1f} s)")

        plans = self.plan(n)
        self._times(plans)
        plans.sort(key=lambda p: p.registered_at)
        log(f"planned {len(plans)} applications")

        children, seen = [], set()
        pinyin = functools.cache(pinyin_key)
        for plan in plans:
            if id(plan.child) not in seen:
                seen.add(id(plan.child))
                # Child.save() sets the pinyin sort key; bulk_create does not call save()
                plan.child.name_pinyin = pinyin(plan.child.name)
                children.append(plan.child)
        Child.objects.bulk_create(children, batch_size=BATCH_SIZE)
        log(f"children: {len(children)}")

        prefix = self.campaign.form_number_prefix
        taken = set(Application.objects.filter(form_number__startswith=prefix).values_list("form_number", flat=True))
        numbers = new_form_numbers(prefix, len(plans), taken)
        apps = [self._application(plan, number) for plan, number in zip(plans, numbers, strict=True)]
        self._number_approvals(plans, apps)
        Application.objects.bulk_create(apps, batch_size=BATCH_SIZE)
        records = self._records(plans, apps)
        # registered_at is auto_now_add, updated_at auto_now: bulk_create stamps both with now; set them after
        for plan, app in zip(plans, apps, strict=True):
            app.registered_at, app.updated_at = plan.registered_at, plan.extra["updated_at"]
        Application.objects.bulk_update(apps, ["registered_at", "updated_at"], batch_size=1_000)
        log(f"applications: {len(apps)}, transition records: {len(records)}")

        guardians, properties, links = [], [], []
        for plan, app in zip(plans, apps, strict=True):
            family = plan.family
            guardians += [Guardian(application=app, **row) for row in family.guardians]
            for row in family.properties:
                status = self._registry_status(app.state)
                properties.append(Property(application=app, registry_status=status, **row))
            links += [  # R5: a category counts once the district verified the claim
                CategoryClaim(
                    application_id=app.pk, category_id=c.pk, document_number=f"{app.form_number}{c.pk:02d}",
                    status=CategoryClaim.Status.VERIFIED, decided_at=app.registered_at,
                )
                for c in family.categories
            ]
        Guardian.objects.bulk_create(guardians, batch_size=BATCH_SIZE)
        Property.objects.bulk_create(properties, batch_size=BATCH_SIZE)
        CategoryClaim.objects.bulk_create(links, batch_size=BATCH_SIZE)
        log(f"guardians: {len(guardians)}, properties: {len(properties)}, categories: {len(links)}")

        self._history(plans, children, apps, guardians, properties)
        log("history: one 'created' record per row")
        return apps

    def _registry_status(self, state: str) -> str:
        r = self.rng.random()
        if state in (S.REGISTERED, S.IDENTITY_CHECK):
            return RegistryStatus.PENDING if r < 0.7 else RegistryStatus.VERIFIED
        if state in (S.SCHOOL_REJECTED, S.DISTRICT_REJECTED, S.VOID):
            return RegistryStatus.FAILED if r < 0.3 else RegistryStatus.VERIFIED
        return RegistryStatus.FAILED if r < 0.01 else RegistryStatus.VERIFIED

    def _history(self, plans, children, apps, guardians, properties) -> None:
        """A 'created' history record per row, dated when the parent entered it (bulk_create writes none)."""
        first_seen: dict[int, dt.datetime] = {}
        for plan in plans:
            first_seen.setdefault(plan.child.pk, plan.registered_at)
        for child in children:
            child._history_date = first_seen[child.pk]
        by_app = {app.pk: app for app in apps}
        for app in apps:
            app._history_date = app.registered_at
        for row in (*guardians, *properties):
            app = by_app[row.application_id]
            row._history_date = app.details_confirmed_at or app.registered_at
        tables = ((Child, children), (Application, apps), (Guardian, guardians), (Property, properties))
        for model, rows in tables:
            model.history.bulk_history_create(rows, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)


# --- users ----------------------------------------------------------------------------------------


def build_staff_users(campaign: Campaign, districts: dict[str, District], log: Log) -> list[DemoUser]:
    """One user per role plus a superuser, each with a fresh password on every run."""
    User = get_user_model()
    dongcheng = districts["东城区"]
    school = (
        School.objects.filter(district=dongcheng, offers_primary=True)
        .annotate(n=Count("applications", filter=Q(applications__campaign=campaign)))
        .order_by(Case(When(n=0, then=1), default=0), "code")  # the first one with applications
        .first()
    )
    accounts = [
        ("admin", (), None, None),
        ("city_admin", (roles.CITY_ADMIN,), None, None),
        ("district_reviewer", (roles.DISTRICT_REVIEWER,), dongcheng, None),
        ("district_admin", (roles.DISTRICT_REVIEWER, roles.DISTRICT_ADMIN), dongcheng, None),
        ("school_reviewer", (roles.SCHOOL_REVIEWER,), None, school),
    ]
    users = []
    for username, role_names, district, scope_school in accounts:
        user, _new = User.objects.get_or_create(username=username, defaults={"first_name": "演示账号"})
        password = readable_password()
        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.is_superuser = not role_names
        user.save()
        user.groups.add(*Group.objects.filter(name__in=role_names))
        if district or scope_school:
            scope, _new = StaffScope.objects.get_or_create(
                user=user, defaults={"district": district, "school": scope_school}
            )
            where = str(scope)
        else:
            where = "全市"
        users.append(DemoUser(username, "、".join(role_names) or "超级管理员", where, password))
    log(f"staff users: {', '.join(u.username for u in users)} (passwords reset)")
    return users


def build_parent_accounts(campaign: Campaign, rng: random.Random, log: Log) -> tuple[str, int, str | None]:
    """Accounts for ~50 live applications (login = form number), sharing one password hashed once."""
    User = get_user_model()
    password = readable_password()
    hashed = make_password(password)
    existing = User.objects.filter(application__campaign=campaign, is_staff=False)
    if existing.exists():
        count = existing.update(password=hashed)
    else:
        live = list(
            Application.objects.filter(campaign=campaign, account__isnull=True)
            .exclude(state__in=S.ended())
            .order_by("form_number")
            .values_list("pk", "form_number", "state")
        )
        by_state: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, number, state in live:
            by_state[state].append((pk, number))
        chosen = {rng.choice(rows) for rows in by_state.values()}  # one in every live state, then at random
        rest = [row[:2] for row in live if row[:2] not in chosen]
        chosen.update(rng.sample(rest, min(len(rest), max(0, PARENT_ACCOUNTS - len(chosen)))))
        names = [n for _pk, n in chosen]
        taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        chosen = sorted(row for row in chosen if row[1] not in taken)
        users = User.objects.bulk_create([User(username=number, password=hashed) for _pk, number in chosen])
        new_names = [u.username for u in users]
        user_ids = dict(User.objects.filter(username__in=new_names).values_list("username", "pk"))
        apps = [Application(pk=pk, account_id=user_ids[number]) for pk, number in chosen]
        Application.objects.bulk_update(apps, ["account"])
        count = len(users)
    example = (
        Application.objects.filter(campaign=campaign, account__isnull=False, state=S.READY_TO_PRINT)
        .order_by("form_number")
        .values_list("form_number", flat=True)
        .first()
        or Application.objects.filter(campaign=campaign, account__isnull=False)
        .order_by("form_number")
        .values_list("form_number", flat=True)
        .first()
    )
    log(f"parent accounts: {count} (one shared password)")
    return password, count, example


# --- the whole site -------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    User = get_user_model()
    models = (
        District,
        Street,
        School,
        ServiceZone,
        Category,
        Campaign,
        CampaignWindow,
        Child,
        Application,
        Guardian,
        Property,
        StaffScope,
    )
    counts = {m.__name__: m.objects.count() for m in models}
    counts["CategoryClaim"] = CategoryClaim.objects.count()
    counts["User (staff)"] = User.objects.filter(is_staff=True).count()
    counts["User (parents)"] = User.objects.filter(is_staff=False).count()
    counts["HistoricalApplication"] = Application.history.count()
    return counts


def build_demo_site(
    applications: int = DEFAULT_APPLICATIONS, seed: int = DEFAULT_SEED, log: Log = lambda _message: None,
    junior_graduates: int = JUNIOR_GRADUATES_PER_SCHOOL,
) -> BuildResult:
    if not 0 <= applications <= MAX_APPLICATIONS:
        raise ValueError(f"applications must be between 0 and {MAX_APPLICATIONS}")
    started = time.perf_counter()
    rng = random.Random(seed)
    created = 0
    with transaction.atomic():
        roles.sync_roles()
        districts = build_districts(log)
        streets = build_streets(districts, log)
        specs = school_specs()
        homes = school_homes(specs)
        schools = build_schools(districts, streets, specs, log)
        build_service_zones(districts, schools, specs, homes, log)
        categories = build_categories(log)
        campaign = build_campaign(districts, log)
        build_document_requirements(campaign, log)
        existing = campaign.applications.count()
        if existing:
            log(f"applications: the campaign already has {existing}, none added")
        elif applications:
            log(f"applications: generating {applications} (seed {seed})")
            factory = ApplicationFactory(campaign, districts, schools, specs, homes, categories, rng, log)
            created = len(factory.build(applications))
        users = build_staff_users(campaign, districts, log)
        parent_password, parent_count, example = build_parent_accounts(campaign, rng, log)
        # 小升初 (R37-R41), after the primary campaign so its random draws are unchanged
        if junior_graduates:
            juniors = build_junior_campaign(users, random.Random(seed + 15), log, graduates_per_school=junior_graduates)
            users += [DemoUser(*account) for account in juniors]
        log(f"registry simulator: {feed_registry_simulator(campaign)}")
    states = dict(
        Application.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("pk")).order_by("state")
    )
    return BuildResult(
        seed=seed,
        campaign=campaign.name,
        applications_created=created,
        seconds=time.perf_counter() - started,
        counts=row_counts(),
        states={s: states.get(s, 0) for s in S.values},
        users=users,
        parent_password=parent_password,
        parent_accounts=parent_count,
        parent_example=example,
    )


__all__ = ["BuildResult", "DemoUser", "build_demo_site", "readable_password", "row_counts"]
