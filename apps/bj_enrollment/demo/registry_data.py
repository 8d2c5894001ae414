"""Feed the registry simulator from the demo's own applications, so their checks can pass.

The demo invents children, guardians and properties; the registries must know the same people and
certificates or every identity check would fail. Called once at the end of the demo build; calling it
again adds what is new and replaces what changed.
"""

from __future__ import annotations

import re

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, Guardian, Property
from apps.bj_enrollment.registries import simulator

BEIJING = "北京市"


def _owners(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,，、;；/]+", text or "") if n]


def feed_registry_simulator(campaign=None) -> dict[str, int]:
    """Write every live application's child, properties and guardian-1 residence permit into the
    simulator's records; returns how many records of each registry were written."""
    applications = Application.objects.exclude(state__in=ApplicationState.ended())
    if campaign is not None:
        applications = applications.filter(campaign=campaign)
    people: dict[str, dict] = {}
    for child in applications.values_list(
        "child__id_type",
        "child__id_number",
        "child__name",
        "child__birth_date",
        "child__gender",
        "child__hukou_province",
        "child__hukou_district__code",
        "child__hukou_address",
        "child__household_number",
    ).iterator(chunk_size=2000):
        id_type, id_number, name, birth, gender, province, district, address, household = child
        people[simulator.person_key(id_type, id_number)] = {
            "name": name,
            "birth_date": birth.isoformat(),
            "gender": gender,
            "hukou_province": province or "",
            "hukou_district": (district or "") if province == BEIJING else "",
            "hukou_address": address or "",
            "household_number": household or "",
        }
    certificates = {
        number: {
            "owners": _owners(owners),
            "address": address,
            "district": district,
            "certificate_date": date.isoformat(),
            "type": kind or "",
        }
        for number, owners, address, district, date, kind in Property.objects.filter(application__in=applications)
        .values_list("certificate_number", "owners", "address", "district__code", "certificate_date", "property_type")
        .iterator(chunk_size=2000)
    }
    permits = {
        id_number: {"permit_number": number, "held_since": since.isoformat()}
        for id_number, number, since in Guardian.objects.filter(
            application__in=applications, position=1, id_number__gt="", residence_permit_since__isnull=False
        )
        .exclude(residence_permit_number="")
        .values_list("id_number", "residence_permit_number", "residence_permit_since")
        .iterator(chunk_size=2000)
    }
    simulator.store(simulator.POPULATION, people)
    simulator.store(simulator.REAL_ESTATE, certificates)
    simulator.store(simulator.RESIDENCE_PERMITS, permits)
    return {
        simulator.POPULATION: len(people),
        simulator.REAL_ESTATE: len(certificates),
        simulator.RESIDENCE_PERMITS: len(permits),
    }
