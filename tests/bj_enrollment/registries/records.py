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
