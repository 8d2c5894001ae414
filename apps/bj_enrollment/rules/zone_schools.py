"""R23/R35: which schools serve an application, from its verified address and the zone index.

When an application becomes ready to print it gets its zone school if its address lies in a
single-school zone; an address in a multi-school zone waits for the zone lottery, which assigns the
school. A family may still walk into any school of its zone with the printed form: the school scans
number and verification code (desk/scan.py), which records a walk-in, and pre-admitting a walk-in
makes that school the application's school.
"""

from __future__ import annotations

from apps.bj_enrollment.choices import HousingType, RegistryStatus
from apps.bj_enrollment.rules.printing import waiting_for_school
from apps.lowcode.workflow import states


def zone_schools(application) -> tuple[set[int], bool]:
    """(ids of the schools whose zones hold the application's address, whether a lottery decides).
    The address is the verified family property's for an owned home (its certificate date decides
    under a cutoff, R35), else the residence address."""
    from apps.bj_enrollment.models import ServiceZone
    from apps.bj_enrollment.zones import index as zone_index
    from apps.bj_enrollment.zones.service import LookupStatus, resolve

    address, certificate_date = application.residence_address, None
    if application.housing_type == HousingType.OWNED:
        owned = application.properties.filter(registry_status=RegistryStatus.VERIFIED).order_by("-family_owned").first()
        if owned is not None:
            address, certificate_date = owned.address or address, owned.certificate_date
    if not address:
        return set(), False
    index = zone_index.current()
    resolution = resolve(index.match(index.parse(address)), index, certificate_date)
    if resolution.status not in (LookupStatus.MATCHED, LookupStatus.AMBIGUOUS):
        return set(), False
    zones = ServiceZone.objects.filter(
        pk__in=[p.zone_id for p in resolution.picks], district_id=application.district_id
    ).prefetch_related("schools")
    schools = {school.pk for zone in zones for school in zone.schools.all() if school.active}
    lottery = any(zone.multi_school for zone in zones) or len(schools) > 1
    return schools, lottery


def assign_zone_school(document, record) -> None:
    """A workflow step: on becoming ready to print, the single school of the address's zone."""
    becomes_printable = states.flag(document, "printable", record.to_state) and not states.flag(
        document, "printable", record.from_state
    )
    if not becomes_printable or document.school_id is not None:
        return
    schools, lottery = zone_schools(document)
    if len(schools) == 1 and not lottery:
        document.school_id = next(iter(schools))
        document.save(update_fields=["school", "updated_at"])


def may_walk_in(application, school) -> bool:
    """A school may take in a family of its zone that has no school yet, or whose zone school it is."""
    if application.district_id != school.district_id or application.state not in waiting_for_school():
        return False
    if application.school_id is not None:
        return application.school_id == school.pk
    return school.pk in zone_schools(application)[0]


def claim_walk_in(document, record) -> None:
    """A workflow step: a school pre-admitting a walk-in family becomes the application's school."""
    from apps.bj_enrollment.models import WalkIn
    from apps.bj_enrollment.scope import scope_of

    takes_seat = states.flag(document, "takes_seat", record.to_state) and not states.flag(
        document, "takes_seat", record.from_state
    )
    if not takes_seat or document.school_id is not None or record.user is None:
        return
    school_id = scope_of(record.user).school_id
    if school_id and WalkIn.objects.filter(application=document, school_id=school_id).exists():
        document.school_id = school_id
        document.save(update_fields=["school", "updated_at"])
