"""Registry records that agree with a test application, in the shape of the HTTP contract."""

from apps.bj_enrollment.registries import simulator


def person(child, **changes) -> dict:
    return {
        "name": child.name,
        "birth_date": child.birth_date.isoformat(),
        "gender": child.gender,
        "hukou_province": child.hukou_province,
        "hukou_district": child.hukou_district.code if child.hukou_district_id else "",
        "hukou_address": child.hukou_address,
        "household_number": child.household_number,
        **changes,
    }


def store_person(child, **changes) -> None:
    simulator.store(
        simulator.POPULATION, {simulator.person_key(child.id_type, child.id_number): person(child, **changes)}
    )


def certificate(prop, **changes) -> dict:
    return {
        "owners": prop.owners.split("、"),
        "address": prop.address,
        "district": prop.district.code,
        "certificate_date": prop.certificate_date.isoformat(),
        "type": prop.property_type,
        **changes,
    }


def store_certificates(application) -> None:
    """The application's properties as the real-estate registry knows them."""
    simulator.store(
        simulator.REAL_ESTATE, {prop.certificate_number: certificate(prop) for prop in application.properties.all()}
    )


def store_permit(application, held_since, permit_number: str = "110101202000123") -> None:
    """Guardian 1's residence permit on the registry, and the same number entered in the details."""
    guardian = application.guardians.get(position=1)
    guardian.residence_permit_number = permit_number
    guardian.residence_permit_since = held_since
    guardian.save()
    simulator.store(
        simulator.RESIDENCE_PERMITS,
        {guardian.id_number: {"permit_number": permit_number, "held_since": held_since.isoformat()}},
    )
