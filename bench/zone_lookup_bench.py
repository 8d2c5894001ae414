"""Benchmark of the service-zone look-up (R34) on a city of 2,000 zones and 20,000 zone rows, on
MariaDB and Redis, in a throw-away test database of the site:

    BJ_SITE=test BJ_HTTPS=false .venv/bin/python bench/zone_lookup_bench.py [--lookups 2000]

Reports the index build, one look-up with a cold index (the first after a zone change, which
rebuilds it) against a warm one, matching alone, look-ups per second through the service function
(each one also writes the per-ID look-up log) and through HTTP (the JSON API via Django's test
client): medians of several rounds, and their ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time

from harness import out

ZONES, ROWS_PER_ZONE, ROUNDS = 2000, 10, 5


def build_city():
    from apps.bj_enrollment.models import Campaign, School, ServiceZone, ZoneArea
    from tests import factories

    campaign = factories.campaign()
    Campaign.objects.filter(pk=campaign.pk).update(zone_lookup_limit=0, active=True)
    districts = [factories.district(f"1101{n:02d}", f"测{n}区") for n in range(1, 17)]
    schools = School.objects.bulk_create(
        School(district=districts[n % 16], name=f"第{n}小学", code=f"88{n:08d}") for n in range(ZONES)
    )
    zones = ServiceZone.objects.bulk_create(
        ServiceZone(district=districts[n % 16], name=f"片区{n}", areas="") for n in range(ZONES)
    )
    ServiceZone.schools.through.objects.bulk_create(
        ServiceZone.schools.through(servicezone_id=z.pk, school_id=s.pk) for z, s in zip(zones, schools, strict=True)
    )
    rows = []
    for n, zone in enumerate(zones):
        for k in range(ROWS_PER_ZONE):
            if k % 2:
                rows.append(ZoneArea(zone=zone, road="", compound=f"园{n}区{k}号院"))
            else:
                rows.append(ZoneArea(zone=zone, road=f"路{n}街{k}巷", number_from=1, number_to=200, parity="all"))
    ZoneArea.objects.bulk_create(rows, batch_size=5000)
    return campaign, [d.name for d in districts]


def addresses(n: int, district_names: list[str]) -> list[str]:
    rng = random.Random(7)
    made = []
    for _ in range(n):
        zone, k = rng.randrange(ZONES), rng.randrange(ROWS_PER_ZONE)
        district = district_names[zone % 16]
        if k % 2:
            made.append(f"北京市{district}园{zone}区{k}号院{rng.randint(1, 20)}号楼{rng.randint(1, 6)}单元")
        else:
            made.append(f"{district}路{zone}街{k}巷{rng.randint(1, 200)}号")
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.runner import DiscoverRunner
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from apps.bj_enrollment.choices import Gender
    from apps.bj_enrollment.rules.identity import make_resident_id
    from apps.bj_enrollment.zones import index as zone_index
    from apps.bj_enrollment.zones.service import LookupStatus, look_up_zone, resolve

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        started = time.perf_counter()
        campaign, district_names = build_city()
        took = time.perf_counter() - started
        out(f"city: {ZONES:,} zones, {ZONES * ROWS_PER_ZONE:,} zone rows, built in {took:.1f} s")
        builds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            zone_index.build()
            builds.append(time.perf_counter() - started)
        out(f"index build: median {statistics.median(builds) * 1000:.0f} ms")

        born = dt.date(2020, 3, 1)
        ids = [
            make_resident_id("110101", born + dt.timedelta(days=n // 499), n % 499 + 1, Gender.MALE)
            for n in range(args.lookups)
        ]
        places = addresses(args.lookups, district_names)

        # Cold: the first look-up in a process after a zone row changed rebuilds the index.
        cold, warm = [], []
        for n in range(ROUNDS):
            zone_index.changed()
            started = time.perf_counter()
            look_up_zone(ids[n], places[n], campaign=campaign)
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            look_up_zone(ids[n], places[n + ROUNDS], campaign=campaign)
            warm.append(time.perf_counter() - started)
        cold_ms, warm_ms = statistics.median(cold) * 1000, statistics.median(warm) * 1000
        out(f"one look-up: cold index {cold_ms:.0f} ms, warm index {warm_ms:.2f} ms (ratio {cold_ms / warm_ms:.0f}x)")

        index = zone_index.current()
        matching = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            for a in places:
                resolve(index.match(index.parse(a)), index, None)
            matching.append(len(places) / (time.perf_counter() - started))
        out(f"matching only (in memory, no queries): median {statistics.median(matching):,.0f}/s")

        with CaptureQueriesContext(connection) as ctx:
            look_up_zone(ids[-1], places[-1], campaign=campaign)
        queries = len(ctx.captured_queries)
        rates, matched = [], 0
        for _ in range(ROUNDS):
            started = time.perf_counter()
            results = [look_up_zone(i, a, campaign=campaign) for i, a in zip(ids, places, strict=True)]
            rates.append(len(results) / (time.perf_counter() - started))
            matched = sum(r.status == LookupStatus.MATCHED for r in results)
        service = statistics.median(rates[1:])
        out(
            f"service look-ups (warm index, {queries} queries each): first round {rates[0]:,.0f}/s (new log rows), "
            f"repeats median {service:,.0f}/s ({matched}/{len(places)} matched), one process"
        )

        client = Client()
        with override_settings(PORTAL_RATE_LIMITS={"zone_lookup_per_ip": "1000000000/h"}):
            cache.delete_pattern("rl:*")
            http = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                for i, a in zip(ids[:500], places[:500], strict=True):
                    response = client.post(
                        "/api/v1/zones/lookup",
                        json.dumps({"id_number": i, "address": a}),
                        content_type="application/json",
                    )
                    if response.status_code != 200:
                        raise SystemExit(f"API answered {response.status_code}: {response.content[:300]!r}")
                http.append(500 / (time.perf_counter() - started))
        http_rate = statistics.median(http)
        out(
            f"HTTP API look-ups: median {http_rate:,.0f}/s (test client, one process; "
            f"{http_rate / service:.2f}x the service function)"
        )
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
