"""The service-zone look-up (R34, R35): one function behind the public page and the JSON API.

Matching priority: a residential compound beats a street with a number range, which beats a whole
street. Several zones at the best level are all listed with their reasons.

Property date rule (R35), as implemented: when the best match is a single-school zone and either that
zone or a multi-school zone of the same district that also covers the address has a property cutoff,
the answer needs the certificate date. A certificate dated on or before the cutoff keeps the
single-school zone; a later one gets the covering multi-school zone, filled by lottery. A
multi-school zone that is itself the best match is the answer whatever the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.rules.identity import check_resident_id
from apps.bj_enrollment.zones import index as zone_index
from apps.bj_enrollment.zones.index import Match, Rule, ZoneIndex
from apps.bj_enrollment.zones.limits import LookupLimitReached, charge, id_key

__all__ = ["LookupClosed", "LookupLimitReached", "LookupResult", "LookupStatus", "look_up_zone"]


class LookupStatus(models.TextChoices):
    MATCHED = "matched", gettext_lazy("Matched")
    AMBIGUOUS = "ambiguous", gettext_lazy("Several zones")
    NEEDS_PROPERTY_DATE = "needs_property_date", gettext_lazy("Certificate date needed")
    NO_MATCH = "no_match", gettext_lazy("No match")


class LookupClosed(Exception):
    @property
    def message(self) -> str:
        return _("The service-zone look-up is not open at the moment.")


@dataclass(frozen=True)
class Pick:
    zone_id: int
    rule: Rule
    after_cutoff: dt.date | None = None  # chosen by the R35 date rule


@dataclass(frozen=True)
class Resolution:
    status: str
    picks: list[Pick]
    district_ids: set[int]  # districts whose limit the look-up counts against
    cutoff: dt.date | None = None


def resolve(matches: list[Match], index: ZoneIndex, property_date: dt.date | None) -> Resolution:
    """Priority and the property date rule, on the in-memory index alone (no queries)."""
    if not matches:
        return Resolution(LookupStatus.NO_MATCH, [], set())
    top = max(m.level for m in matches)
    chosen = _best_per_zone(m for m in matches if m.level == top)
    districts = {index.zones[zone_id].district_id for zone_id in chosen}
    picks: list[Pick] = []
    waiting: list[dt.date] = []
    fallback_ids: set[int] = set()
    uncovered: dt.date | None = None
    for zone_id, match in chosen.items():
        facts = index.zones[zone_id]
        if facts.multi_school:
            continue
        covering = _best_per_zone(
            m
            for m in matches
            if index.zones[m.rule.zone_id].multi_school and index.zones[m.rule.zone_id].district_id == facts.district_id
        )
        cutoffs = [index.zones[z].property_cutoff for z in covering if index.zones[z].property_cutoff]
        cutoff = facts.property_cutoff or min(cutoffs, default=None)
        if cutoff is None:
            picks.append(Pick(zone_id, match.rule))
            continue
        fallback_ids |= covering.keys()
        if property_date is None:
            waiting.append(cutoff)
        elif property_date <= cutoff:
            picks.append(Pick(zone_id, match.rule))
        elif covering:
            picks += [Pick(z, m.rule, after_cutoff=cutoff) for z, m in covering.items()]
        else:
            uncovered = cutoff
    picks += [
        Pick(zone_id, match.rule)
        for zone_id, match in chosen.items()
        if index.zones[zone_id].multi_school and zone_id not in fallback_ids
    ]
    if waiting:
        return Resolution(LookupStatus.NEEDS_PROPERTY_DATE, [], districts, min(waiting))
    picks = list({p.zone_id: p for p in reversed(picks)}.values())[::-1]
    if not picks:
        return Resolution(LookupStatus.NO_MATCH, [], districts, uncovered)
    status = LookupStatus.MATCHED if len(picks) == 1 else LookupStatus.AMBIGUOUS
    return Resolution(status, picks, districts)


def _best_per_zone(matches) -> dict[int, Match]:
    best: dict[int, Match] = {}
    for match in matches:
        current = best.get(match.rule.zone_id)
        if current is None or match.level > current.level:
            best[match.rule.zone_id] = match
    top = max((m.level for m in best.values()), default=0)
    return {zone_id: m for zone_id, m in best.items() if m.level == top}


@dataclass
class ZoneAnswer:
    zone: object  # ServiceZone with `schools` prefetched (active ones)
    reason: str

    @property
    def schools(self) -> list:
        return list(self.zone.schools.all())


@dataclass
class LookupResult:
    status: str
    address: str  # the place the R34 limit counts: canonical, without district, building, unit and room
    message: str
    zones: list[ZoneAnswer] = field(default_factory=list)
    property_cutoff: dt.date | None = None
    contacts: list = field(default_factory=list)  # districts to call
    lookups_left: dict = field(default_factory=dict)  # District -> new addresses still allowed (None: no limit)

    @property
    def multi_school(self) -> bool:
        return any(answer.zone.multi_school for answer in self.zones)

    @property
    def lottery_note(self) -> str | None:
        if not self.multi_school:
            return None
        return _(
            "Places in a multi-school zone are assigned among its schools by computer random lottery (电脑随机派位)."
        )

    def as_dict(self) -> dict:
        """The JSON API's answer."""
        return {
            "status": self.status,
            "address": self.address,
            "message": self.message,
            "multi_school": self.multi_school,
            "lottery_note": self.lottery_note,
            "property_cutoff": self.property_cutoff.isoformat() if self.property_cutoff else None,
            "zones": [
                {
                    "name": a.zone.name,
                    "district": a.zone.district.name,
                    "multi_school": a.zone.multi_school,
                    "reason": a.reason,
                    "schools": [
                        {
                            "name": s.name,
                            "address": s.address,
                            "phone": s.phone,
                            "ownership": s.ownership,
                            "ownership_display": s.get_ownership_display(),
                        }
                        for s in a.schools
                    ],
                }
                for a in self.zones
            ],
            "contacts": [{"district": d.name, "phone": d.contact_phone, "address": d.address} for d in self.contacts],
            "lookups_left": {d.name: left for d, left in self.lookups_left.items()},
        }


def look_up_zone(id_number: str, address: str, property_date: dt.date | None = None, *, campaign=None) -> LookupResult:
    """Answer a parent's question "which school serves this address?" and count it against the ID's limit.

    Raises ValidationError (by field: id_number, address, property_certificate_date), LookupClosed
    when no primary campaign is active, LookupLimitReached when a new address is over the limit.
    Nothing is revealed, and nothing recorded, for a refused look-up.
    """
    from apps.bj_enrollment.models import Campaign, District, School, ServiceZone

    try:
        compact = check_resident_id(id_number or "")
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if property_date is not None and property_date > timezone.localdate():
        raise ValidationError({"property_certificate_date": _("The certificate date cannot be in the future.")})
    campaign = campaign or Campaign.current()
    if campaign is None:
        raise LookupClosed
    index = zone_index.current()
    parsed = index.parse(address or "")
    if len(parsed.place) < 2:
        raise ValidationError({"address": _("Enter the address with its street or compound and house number.")})
    resolution = resolve(index.match(parsed), index, property_date)

    named = index.district_id(parsed)
    districts = {d.pk: d for d in District.objects.filter(pk__in={*resolution.district_ids, named} - {None})}
    left = {}
    # R34 counts the distinct addresses an ID looks up in a district, matched or not ("一个身份证件最多
    # 可查询两个实际地址"): the districts whose zones answer, else the district the address names.
    charged_ids = set(resolution.district_ids) if resolution.status != LookupStatus.NO_MATCH else {named} - {None}
    charged = [districts[pk] for pk in sorted(charged_ids) if pk in districts]
    if charged:
        left = charge(campaign, charged, id_key(compact), parsed.place[:200])

    zones = ServiceZone.objects.select_related("district").prefetch_related(
        Prefetch("schools", queryset=School.objects.filter(active=True).order_by("name"))
    )
    by_id = zones.in_bulk([p.zone_id for p in resolution.picks])
    answers = [ZoneAnswer(by_id[p.zone_id], _reason(p)) for p in resolution.picks if p.zone_id in by_id]
    result = LookupResult(
        status=resolution.status,
        address=parsed.place,
        message="",
        zones=answers,
        property_cutoff=resolution.cutoff,
        lookups_left={districts[pk]: n for pk, n in left.items()},
    )
    if resolution.status == LookupStatus.NEEDS_PROPERTY_DATE:  # no zone yet: the date decides which
        result.contacts = list(districts.values())
    elif resolution.status == LookupStatus.NO_MATCH or not answers:
        result.status = LookupStatus.NO_MATCH
        result.contacts = list(districts.values()) or list(District.objects.all())
    result.message = _message(result)
    return result


def _reason(pick: Pick) -> str:
    from apps.bj_enrollment.doctype.zone_area import describe_area

    rule = pick.rule
    text = describe_area(rule.road, rule.compound, rule.number_from, rule.number_to, rule.parity)
    if pick.after_cutoff:
        return _("Property certificate dated after %(date)s: multi-school zone (%(area)s)") % {
            "date": date_format(pick.after_cutoff),
            "area": text,
        }
    return text


def _message(result: LookupResult) -> str:
    if result.status == LookupStatus.NEEDS_PROPERTY_DATE:
        return _(
            "The school for this address depends on the registration date of the property certificate "
            "(cutoff: %(date)s). Enter the date on the certificate and look up again; this costs no further "
            "look-up. Families without a property certificate, please contact the district."
        ) % {"date": date_format(result.property_cutoff)}
    if result.status == LookupStatus.NO_MATCH:
        if result.property_cutoff:
            return _(
                "Property certificates dated after %(date)s are placed by the district for this address; "
                "please contact the district education committee."
            ) % {"date": date_format(result.property_cutoff)}
        return _("No service zone was found for this address. Please contact the district education committee.")
    if result.status == LookupStatus.AMBIGUOUS:
        return _(
            "This address fits several service zones; the reasons are listed below. Please check with the "
            "district education committee which one applies."
        )
    if result.multi_school:
        return _("This address is in a multi-school zone.")
    return _("This address is in the service zone below.")
