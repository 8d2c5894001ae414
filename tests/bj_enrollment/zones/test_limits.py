"""R34: each ID number may look up a limited number of distinct addresses per district; the log keeps
a keyed hash of the number, never the number."""

import pytest
from django.db import connection

from apps.bj_enrollment.models import Campaign, ZoneLookup
from apps.bj_enrollment.zones.limits import LookupLimitReached
from apps.bj_enrollment.zones.service import look_up_zone
from tests.bj_enrollment.zones.conftest import new_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(zone_city):
    Campaign.objects.filter(pk=zone_city.campaign.pk).update(zone_lookup_limit=2)
    zone_city.campaign.refresh_from_db()
    return zone_city


def test_third_distinct_address_is_refused_with_its_message(limited):
    person = new_id()
    first = look_up_zone(person, "东城区东四十条1号", campaign=limited.campaign)
    assert first.lookups_left == {limited.dongcheng: 1}
    look_up_zone(person, "东城区府学胡同36号", campaign=limited.campaign)
    with pytest.raises(LookupLimitReached) as exc:
        look_up_zone(person, "东城区东四十条2号", campaign=limited.campaign)
    assert "2" in exc.value.message and "东城区" in exc.value.message
    assert ZoneLookup.objects.count() == 2


def test_an_address_looked_up_before_can_be_looked_up_again(limited):
    person = new_id()
    look_up_zone(person, "东城区东四十条1号", campaign=limited.campaign)
    look_up_zone(person, "东城区府学胡同36号", campaign=limited.campaign)
    again = look_up_zone(person, "北京市东城区东四十条1号3号楼2单元", campaign=limited.campaign)  # same place
    assert again.lookups_left == {limited.dongcheng: 0}
    assert ZoneLookup.objects.get(address="东四十条1号").times == 2


def test_another_id_and_another_district_count_separately(limited):
    person = new_id()
    look_up_zone(person, "东城区东四十条1号", campaign=limited.campaign)
    look_up_zone(person, "东城区府学胡同36号", campaign=limited.campaign)
    assert look_up_zone(person, "海淀区中关村南大街5号", campaign=limited.campaign).zones
    assert look_up_zone(new_id(), "东城区东四十条2号", campaign=limited.campaign).zones


def test_an_address_without_a_match_counts_in_the_district_it_names(limited):
    """R34 counts addresses looked up, matched or not: probing unknown addresses is not free."""
    person = new_id()
    missed = look_up_zone(person, "东城区东四十条61号", campaign=limited.campaign)
    assert not missed.zones and missed.lookups_left == {limited.dongcheng: 1}
    look_up_zone(person, "东城区府学胡同36号", campaign=limited.campaign)
    with pytest.raises(LookupLimitReached):
        look_up_zone(person, "东城区东四十条1号", campaign=limited.campaign)
    assert set(ZoneLookup.objects.values_list("address", flat=True)) == {"府学胡同36号", "东四十条61号"}


def test_an_address_naming_no_district_and_matching_nothing_costs_nothing(limited):
    person = new_id()
    assert not look_up_zone(person, "光明路3号", campaign=limited.campaign).zones
    assert not ZoneLookup.objects.exists()


def test_the_plain_id_number_never_reaches_the_database(limited):
    person = new_id()
    look_up_zone(person, "东城区东四十条1号", campaign=limited.campaign)
    row = ZoneLookup.objects.get()
    assert len(row.id_key) == 64 and person not in row.id_key
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ZoneLookup._meta.db_table}")  # noqa: S608 - a fixed table name
        stored = " ".join(str(value) for record in cursor.fetchall() for value in record)
    assert person not in stored and person[:17] not in stored


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_new_addresses_cannot_both_take_the_last_place():
    """Two look-ups of new addresses for an ID with one place left: exactly one gets it, none fails otherwise.

    Each runs on its own MariaDB connection; both are held until both reach the look-up log, so they meet there
    every time (InnoDB's key locks then queue the second behind the first; the unique slot index is the last guard).
    """
    import threading

    from django.db import connection, connections

    from tests.bj_enrollment.zones.conftest import build_zone_city

    city = build_zone_city()
    Campaign.objects.filter(pk=city.campaign.pk).update(zone_lookup_limit=2)
    city.campaign.refresh_from_db()
    person = new_id()
    look_up_zone(person, "东城区东四十条1号", campaign=city.campaign)
    both_there, outcomes = threading.Barrier(2, timeout=10), []

    def race(address):
        held = []

        def hold_before_the_log(execute, sql, params, many, context):
            if sql.startswith("UPDATE") and "zonelookup" in sql and not held:
                held.append(True)
                both_there.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(hold_before_the_log):
                look_up_zone(person, address, campaign=city.campaign)
            outcomes.append("ok")
        except LookupLimitReached:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(a,)) for a in ("东城区府学胡同36号", "东城区东四十条2号")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert ZoneLookup.objects.filter(campaign=city.campaign, district=city.dongcheng).count() == 2
