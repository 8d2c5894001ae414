"""Benchmark of the city-wide lottery day (R41, #16) on a MariaDB site: the draw and the applying of its
results through the Student workflow, with the city's numbers — 150,000 students with 10 confirmed
preferences each, 600 junior highs over 16 districts, 5 % of the students in twin pairs.

In one child process, inside one transaction rolled back at the end (nothing stays in the site):
bulk-writes a junior-high campaign of the year 2098 with its districts, schools, plans, confirmed
students, confirmed preference lists and bound twins, then times the three steps the desk's buttons
start, by the functions the worker runs:
- commit: lottery/student_inputs.build_input (every student and its confirmed list read from the database),
- draw: lottery/runs.draw (the engine, bj-lottery-2 with the groups, and every outcome stored),
- apply: lottery/city_day.apply_student_results (each placed student admitted through the workflow,
  route 派位 with its transition record, progress saved every 200).
Each step prints wall time, CPU time and the process's peak RSS so far.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/city_day_bench.py [--students 150000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time

from harness import ROOT, out

YEAR = 2098
SEED = "bench-city-day-5e0c2a7f9b1d3e6c8a4f2b0d"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _build(students: int, schools: int, districts: int, preferences: int, twins: float, rng: random.Random):
    """The campaign and everything the day reads, bulk-written; the city-wide run (a draft)."""
    from apps.bj_enrollment.choices import Level, StudentState
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup, MultipleBirthMember
    from apps.bj_enrollment.models import (
        Campaign,
        District,
        LotteryRun,
        Preference,
        PreferenceList,
        School,
        SchoolPlan,
        Student,
    )
    from apps.bj_enrollment.rules.identity import make_resident_id

    campaign = Campaign.objects.create(
        year=YEAR, level=Level.JUNIOR, name=f"{YEAR}年小升初（基准）", age_cutoff=dt.date(YEAR - 12, 8, 31),
        cohort_start=dt.date(YEAR - 13, 9, 1), active=False,
    )
    areas = District.objects.bulk_create(
        [District(code=f"1198{n:02d}", name=f"基准区{n + 1}") for n in range(districts)]
    )
    primaries = School.objects.bulk_create([
        School(district=d, code=f"1198{n:02d}P001", name=f"基准区{n + 1}第一小学", offers_primary=True)
        for n, d in enumerate(areas)
    ])
    juniors = School.objects.bulk_create([
        School(district=areas[n % districts], code=f"1198J{n:04d}", name=f"基准第{n + 1}中学", offers_junior=True,
               offers_primary=False)
        for n in range(schools)
    ])
    per_district: dict[int, list] = {}
    for school in juniors:
        per_district.setdefault(school.district_id, []).append(school)
    seats = max(1, int(students * 0.95 / schools))  # a few more students than seats
    SchoolPlan.objects.bulk_create([SchoolPlan(campaign=campaign, school=s, seats=seats) for s in juniors])

    start = dt.date(YEAR - 12, 1, 1)
    rows = []
    for n in range(students):
        district = (n // 2) % districts  # twins (neighbours) share a district
        birth = start + dt.timedelta(days=n % 360)
        rows.append(Student(
            campaign=campaign, education_id=f"C{YEAR}{n:012d}", name=f"学生{n}",
            id_number=make_resident_id("110101", birth, (n // 360) % 500, "male" if n % 2 else "female"),
            birth_date=birth, gender="male" if n % 2 else "female", hukou_province="北京市",
            graduating_school=primaries[district], graduating_class="六年级1班", district=areas[district],
            mobile=f"139{n:08d}", state=StudentState.CONFIRMED,
        ))
    for chunk in range(0, students, 5000):
        Student.objects.bulk_create(rows[chunk:chunk + 5000])
    people = list(Student.objects.filter(campaign=campaign).order_by("pk").values_list("pk", "district_id"))
    lists = PreferenceList.objects.bulk_create(
        [PreferenceList(student_id=pk, kind=PreferenceList.Kind.CONFIRMED, confirmed_at=dt.datetime(YEAR, 6, 1,
                                                                                                     tzinfo=dt.UTC))
         for pk, _d in people], batch_size=5000,
    )
    pairs = int(students * twins / 200)
    weights_of = {d: [1.0 / (i + 3) for i in range(len(s))] for d, s in per_district.items()}
    ranked: list[list] = []
    for index, (_pk, district) in enumerate(people):
        if index % 2 == 1 and index < 2 * pairs:  # the second twin lists what the first listed
            ranked.append(ranked[-1])
            continue
        offered = per_district[district]
        chosen: dict = {}
        while len(chosen) < min(preferences, len(offered)):
            for school in rng.choices(offered, weights_of[district], k=preferences - len(chosen)):
                chosen.setdefault(school.pk)
        ranked.append(list(chosen)[:preferences])
    batch = []
    for plist, schools_ in zip(lists, ranked, strict=True):
        batch.extend(Preference(preference_list=plist, rank=r, school_id=s) for r, s in enumerate(schools_, 1))
        if len(batch) >= 20000:
            Preference.objects.bulk_create(batch)
            batch = []
    Preference.objects.bulk_create(batch)
    for index in range(pairs):
        (a, district), (b, _same) = people[2 * index], people[2 * index + 1]
        group = MultipleBirthGroup.objects.create(campaign=campaign, district_id=district)
        MultipleBirthMember.objects.bulk_create([MultipleBirthMember(group=group, student_id=a),
                                                 MultipleBirthMember(group=group, student_id=b)])
    run = LotteryRun.objects.create(campaign=campaign, mode=LotteryRun.Mode.PREFERENCE, title="基准全市派位")
    return run, pairs


def _timed(figures: dict, name: str, func):
    started, cpu = time.perf_counter(), time.process_time()
    result = func()
    figures[name] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                     "rss_mib": _rss_mib()}
    return result


def _child(args) -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from apps.bj_enrollment.lottery import city_day, engine, runs, student_inputs
    from apps.bj_enrollment.models import LotteryRun, Student

    figures = {"baseline_mib": _rss_mib()}
    with transaction.atomic():
        run, pairs = _timed(figures, "setup", lambda: _build(args.students, args.schools, args.districts,
                                                             args.preferences, args.twins, random.Random(2098)))
        figures["pairs"] = pairs
        document, _ids = _timed(figures, "commit", lambda: student_inputs.build_input(run))
        LotteryRun.objects.filter(pk=run.pk).update(
            input_document=document, input_commitment=engine.input_commitment(document),
            algorithm=document["algorithm"], participants=len(document["participants"]),
            seed_commitment=engine.seed_commitment(SEED), seed=SEED, state=LotteryRun.State.RUNNING,
            started_at=timezone.now(),
        )
        del document, _ids
        _timed(figures, "draw", lambda: runs.draw(run.pk))
        run.refresh_from_db()
        figures["algorithm"] = run.algorithm
        figures["placed"] = run.entries.filter(school__isnull=False).count()
        _timed(figures, "apply", lambda: city_day.apply_student_results(run))
        run.refresh_from_db()
        figures["admitted"] = Student.objects.filter(campaign=run.campaign, school__isnull=False).count()
        figures["refused"] = len([line for line in run.error.splitlines() if line])
        transaction.set_rollback(True)
    sys.stdout.write(json.dumps(figures) + "\n")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=150_000)
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--preferences", type=int, default=10)
    parser.add_argument("--twins", type=float, default=5.0, help="percent of students in twin pairs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return {}

    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.mysql":
        raise SystemExit("bench/city_day_bench.py needs a MariaDB site (BJ_SITE)")
    command = [sys.executable, __file__, "--child", *(argv if argv is not None else sys.argv[1:])]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    f = json.loads(done.stdout.strip().splitlines()[-1])
    out(f"city-wide lottery day: {args.students:,} students x {args.preferences} preferences, {args.schools} junior "
        f"highs in {args.districts} districts, {f['pairs']:,} twin pairs ({f['algorithm']}); MariaDB, one process; "
        "the machine is shared: CPU time is the steadier figure")
    for step, label in (("setup", "writing the test data"), ("commit", "commit (input read from the database)"),
                        ("draw", "draw (engine + outcomes stored)"), ("apply", "apply through the workflow")):
        s = f[step]
        out(f"{label}: {s['seconds']:.1f} s wall, {s['cpu']:.1f} s CPU, peak RSS so far {s['rss_mib']:.0f} MiB")
    per = f["apply"]["seconds"] / max(f["admitted"], 1) * 1000
    out(f"placed {f['placed']:,}, admitted {f['admitted']:,} ({per:.1f} ms each), refused {f['refused']}; "
        f"start-up RSS {f['baseline_mib']:.0f} MiB")
    return f


if __name__ == "__main__":
    main()
