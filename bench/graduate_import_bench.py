"""Benchmark of the graduates' spreadsheet import (#15, R37): a large city's cohort of 150,000 graduates,
time and peak memory of the worker's job, on a MariaDB site.

Makes (once) a junior-high campaign of the year 2099, `--schools` primary schools of one district and a
city-level importing user, then writes an .xlsx of `--rows` graduates (two guardians each) to a temporary
file. A child process then imports it the way the desk and the worker do, twice: the upload stored and the
import recorded (imports/graduate_file_jobs.start), then the job run in-process (graduate_file_jobs.run:
the file read as a stream, every row checked, then all written in one transaction). The first run creates
every student, the second finds every one unchanged (the idempotent re-import). The child prints wall and
CPU time of each run (and of its checking pass) and its peak resident memory (getrusage, over the process
after Django's start-up); `--traced` adds the peak of Python allocations (tracemalloc, slower). Everything
the runs wrote is rolled back. bench/all.py runs the small default; a city is `--rows 150000`.

150,000 rows (11.9 MiB) on the shared, loaded 2-CPU box (load 4-5), before -> after the worker's job:
first import 328 s wall / 161 s CPU -> 363 s / 168 s, re-import 348 s / 72 s -> 203 s / 97 s, peak RSS
2,071 MiB -> 218 MiB (Django's start-up: 150 MiB). Before, the request read the whole file (read_rows)
and planned every row at once (this script as of e0ecc16). The file here has inline strings (openpyxl
writes them); a file saved by Excel has a shared-strings table, which openpyxl holds whole: 1.35 million
distinct strings are about 100 MiB more.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/graduate_import_bench.py [--rows 150000] [--traced]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, out

YEAR = 2099
DISTRICT = ("119901", "基准测试区")
USER = "bench_graduate_importer"  # a city-level user (superuser): the import's scope is the whole city
HEADER = ["教育ID", "姓名", "毕业学校代码", "班级", "证件号码", "出生日期", "性别", "户籍省份", "户籍区", "联系电话",
          "监护人1姓名", "监护人1关系", "监护人1电话", "监护人2姓名", "监护人2关系", "监护人2电话"]


def _setup(schools: int):
    """The campaign, the district's primary schools and the importing user (kept between runs); the codes."""
    from django.contrib.auth import get_user_model

    from apps.bj_enrollment.choices import Level
    from apps.bj_enrollment.models import Campaign, District, School

    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR, level=Level.JUNIOR,
        defaults={"name": f"{YEAR}年小升初（基准）", "age_cutoff": dt.date(YEAR - 12, 8, 31),
                  "cohort_start": dt.date(YEAR - 13, 9, 1), "active": False},
    )
    district, _ = District.objects.get_or_create(code=DISTRICT[0], defaults={"name": DISTRICT[1]})
    codes = [f"119901{n:04d}" for n in range(schools)]
    have = set(School.objects.filter(code__in=codes).values_list("code", flat=True))
    School.objects.bulk_create([
        School(district=district, code=code, name=f"基准第{n + 1}小学", offers_primary=True)
        for n, code in enumerate(codes) if code not in have
    ])
    if not get_user_model().objects.filter(username=USER).exists():
        get_user_model().objects.create_superuser(USER, password=None)
    return campaign, codes


def _write_file(path: Path, rows: int, codes: list[str]) -> None:
    from openpyxl import Workbook

    from apps.bj_enrollment.rules.identity import make_resident_id

    book = Workbook(write_only=True)
    sheet = book.create_sheet("graduates")
    sheet.append(HEADER)
    start = dt.date(YEAR - 12, 1, 1)
    for n in range(rows):
        birth = start + dt.timedelta(days=n % 360)
        gender = "男" if n % 2 else "女"
        number = make_resident_id("110101", birth, (n // 360) % 500, "male" if n % 2 else "female")
        mobile = f"139{n:08d}"
        sheet.append([f"B{YEAR}{n:012d}", f"学生{n}", codes[n % len(codes)], f"六年级{n % 8 + 1}班", number,
                      birth.isoformat(), gender, "北京市", DISTRICT[0], mobile,
                      f"父{n}", "父亲", mobile, f"母{n}", "母亲", f"138{n:08d}"])
    book.save(path)


def _child(path: str, traced: bool) -> None:
    """Runs in its own process: the import job twice, rolled back; one JSON line of figures."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.db import transaction

    from apps.bj_enrollment.choices import Level
    from apps.bj_enrollment.imports import graduate_file_jobs
    from apps.bj_enrollment.models import Campaign, GraduateImport
    from apps.lowcode import jobs

    campaign = Campaign.objects.get(year=YEAR, level=Level.JUNIOR)
    user = get_user_model().objects.get(username=USER)
    checked_at = []
    jobs.heartbeat = lambda _lease: checked_at.append(time.perf_counter())  # the job's progress calls, timed
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if traced:
        import tracemalloc

        tracemalloc.start()
    figures = {"baseline_mib": baseline}
    with transaction.atomic():
        for run in ("first", "again"):
            started, cpu = time.perf_counter(), time.process_time()
            checked_at.clear()
            with Path(path).open("rb") as handle:
                row = graduate_file_jobs.start(user, File(handle, name="graduates.xlsx"), campaign)
            graduate_file_jobs.run(row.pk)
            row = GraduateImport.objects.get(pk=row.pk)
            figures[run] = {
                "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                "checking_seconds": (checked_at[-1] - started) if checked_at else 0.0,
                "created": row.created, "updated": row.updated, "unchanged": row.unchanged,
                "errors": len(row.errors) + row.errors_left_off, "state": row.state,
            }
            if row.errors:
                figures[run]["first_error"] = str(row.errors[0])
        transaction.set_rollback(True)
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if traced:
        figures["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    sys.stdout.write(json.dumps(figures) + "\n")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000, help="150000 for a large city's cohort")
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--traced", action="store_true", help="also the peak of Python allocations (slower)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.traced)
        return {}

    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.mysql":
        raise SystemExit("bench/graduate_import_bench.py needs a MariaDB site (BJ_SITE)")
    _campaign, codes = _setup(args.schools)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "graduates.xlsx")
        _write_file(path, args.rows, codes)
        size = path.stat().st_size
        command = [sys.executable, __file__, "--child", str(path), *(["--traced"] if args.traced else [])]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    out(f"graduate import in the worker's job, {args.rows:,} rows in one .xlsx ({size / 2**20:.1f} MiB), "
        f"{args.schools} schools, MariaDB; the machine is shared: CPU time is the steadier figure")
    for run, label in (("first", "first import (all created)"), ("again", "re-import (all unchanged)")):
        f = figures[run]
        out(f"{label}: {f['seconds']:.1f} s wall ({f['checking_seconds']:.1f} s checking every row), "
            f"{f['cpu']:.1f} s CPU, "
            f"{args.rows / f['seconds']:,.0f} rows/s; created {f['created']:,}, updated {f['updated']:,}, "
            f"unchanged {f['unchanged']:,}, errors {f['errors']} {f.get('first_error', '')}".rstrip())
    memory = f"peak RSS {figures['peak_rss_mib']:.0f} MiB (after start-up {figures['baseline_mib']:.0f} MiB)"
    if "traced_peak_mib" in figures:
        memory += f", Python allocations peak {figures['traced_peak_mib']:.0f} MiB (tracemalloc)"
    out(memory)
    return figures


if __name__ == "__main__":
    main()
