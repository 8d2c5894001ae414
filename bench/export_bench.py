"""Benchmark of the city-wide desk export written by the worker (#17): CSV and Excel, time and memory.

On a site with at least `--rows` applications (`manage.py build_demo_site --applications 100000`),
MariaDB and Redis: the city administrator's "select all" export of the application list, exactly as
the desk's action records it (`export_jobs.start` with the desk's columns and scope), run by the
worker's own function (`export_jobs.run`) in this process. Prints the median of `--runs` runs per
format (wall and this process's CPU time), the file size, the process's peak RSS, and the peak of
Python allocations in one extra traced run (tracemalloc slows allocation, so that run is not timed;
`--no-trace` skips it). Each run is rolled back (export rows, audit records) and its file deleted.
For before/after, run it from each checkout in turn, one format per process (`--formats csv --runs 1
--no-trace`), interleaved: the peak RSS is then that format's.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/export_bench.py [--rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import tracemalloc

from harness import out


def _one(user, queryset, file_format: str) -> tuple[float, float, int, int]:
    from django.core.files.storage import default_storage
    from django.db import transaction

    from apps.bj_enrollment.desk.export import desk_columns  # noqa: F401 - the path below names it
    from apps.lowcode import export_jobs
    from apps.lowcode.models import ExportFile

    with transaction.atomic():  # the queued job never leaves: rolled back before any commit
        export = export_jobs.start(user, queryset, title="bench", file_format=file_format,
                                   columns="apps.bj_enrollment.desk.export.desk_columns",
                                   scope="apps.bj_enrollment.scope.restrict")
        started, cpu = time.perf_counter(), time.process_time()
        rows = export_jobs.run(export.key)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        export = ExportFile.objects.get(pk=export.pk)
        size = default_storage.size(export.file)
        default_storage.delete(export.file)
        transaction.set_rollback(True)
    return took, cpu, rows, size


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx", help="comma-separated: csv, xlsx")
    parser.add_argument("--no-trace", action="store_true", help="skip the traced run (peak Python allocations)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from apps.bj_enrollment.models import Application

    available = Application.objects.count()
    if available < args.rows:
        raise SystemExit(f"only {available:,} applications: build the site with --applications {args.rows}")
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    modeladmin = admin.site._registry[Application]
    queryset = Application.objects.select_related(*modeladmin.list_select_related).order_by("pk")
    last = list(queryset.values_list("pk", flat=True)[args.rows - 1:args.rows])[0]
    queryset = queryset.filter(pk__lte=last)
    figures = {}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (KiB on Linux)
    with tempfile.TemporaryDirectory() as media_root, override_settings(MEDIA_ROOT=media_root):
        for file_format in args.formats.split(","):
            times, cpus = [], []
            for _run in range(args.runs):
                took, cpu, rows, size = _one(user, queryset, file_format)
                times.append(took)
                cpus.append(cpu)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            peak = 0
            if not args.no_trace:
                tracemalloc.start()
                _one(user, queryset, file_format)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            median = statistics.median(times)
            traced = "" if args.no_trace else f", peak {peak / 2**20:.0f} MiB traced"
            out(f"export {file_format:4s} {rows:,} rows: median {median:5.2f} s over {len(times)} runs "
                f"({rows / median:,.0f} rows/s; this process's CPU {statistics.median(cpus):.2f} s), "
                f"{size / 2**20:.1f} MiB file, process peak RSS {rss:.0f} MiB ({before:.0f} before){traced}")
            figures[f"export {file_format} cpu s"] = statistics.median(cpus)
            figures[f"export {file_format} peak RSS MiB"] = rss
            figures[f"export {file_format} {rows:,} rows s"] = median
            figures[f"export {file_format} peak MiB"] = peak / 2**20
    return figures


if __name__ == "__main__":
    main()
