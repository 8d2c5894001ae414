"""Benchmark of the collection form (R22) as a PDF: one process, then a batch through the RQ worker.

1. Median wall time of `render_pdf` over 50 renders of real applications, and the PDF size.
2. 1,000 render jobs enqueued on the site's Redis, run by one `manage.py rqworker --burst` (a
   SimpleWorker by default; `--worker-class rq.worker.Worker` forks per job from a cold parent;
   `--worker-class apps.lowcode.printing.worker.PrintWorker` forks per job from a parent that loaded
   WeasyPrint and the fonts first): total wall time and forms per second. PDFs are rendered and discarded
   (the job returns the size); nothing big is stored.

Builds a small throw-away city (a bench campaign and district, N applications) and removes it after.

    BJ_SITE=<site with redis_url> .venv/bin/python bench/print_bench.py [--renders 50] [--jobs 1000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import django
from harness import ROOT

django.setup()

import django_rq  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.bj_enrollment import printing_setup  # noqa: E402
from apps.bj_enrollment.models import Application, Campaign, Child, District, Guardian, School  # noqa: E402
from apps.lowcode.jobs import enqueue  # noqa: E402
from apps.lowcode.printing import service  # noqa: E402
from apps.lowcode.printing.jobs import render_pdf_job  # noqa: E402
from tests import factories  # noqa: E402

YEAR = 2099  # a campaign year no real data uses


def build_city(count: int) -> list[Application]:
    camp = factories.campaign(YEAR)
    district = factories.district("119999", "基准测试区")
    school = factories.school(district, "基准测试小学")
    apps = []
    for index in range(count):
        app = factories.application(camp, factories.child(f"测试儿童{index:03d}", region="110101"), district,
                                    school, mobile=f"139{index:08d}")
        Guardian.objects.create(application=app, position=2, name="测试母亲", phone="13800001111")
        apps.append(app)
    return apps


def remove_city() -> None:
    apps = Application.objects.filter(campaign__year=YEAR)
    children = list(apps.values_list("child_id", flat=True))
    for app in apps:
        app.properties.all().delete()
        app.delete()
    Child.objects.filter(pk__in=children).delete()
    School.objects.filter(district__code="119999").delete()
    Campaign.objects.filter(year=YEAR).delete()
    District.objects.filter(code="119999").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--applications", type=int, default=20)
    parser.add_argument("--worker-class", default="rq.worker.SimpleWorker",
                        help="rq.worker.SimpleWorker keeps fonts loaded; rq.worker.Worker (the default of "
                             "rqworker) forks per job and loads them again every time; "
                             "apps.lowcode.printing.worker.PrintWorker forks per job from a warm parent")
    args = parser.parse_args()
    if settings.JOBS_IN_PROCESS:
        sys.exit("this site has no redis_url: the batch needs a real RQ queue")

    printing_setup.load_default_formats()
    remove_city()
    apps = build_city(args.applications)
    try:
        service.render_pdf(apps[0])  # fonts and fontconfig warm, as in a long-running worker
        times, sizes = [], []
        for index in range(args.renders):
            started = time.perf_counter()
            pdf = service.render_pdf(apps[index % len(apps)])
            times.append(time.perf_counter() - started)
            sizes.append(len(pdf))
        print(f"render_pdf: median {statistics.median(times) * 1000:.0f} ms over {args.renders} "  # noqa: T201
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); "
              f"PDF {statistics.median(sizes) / 1024:.0f} KiB")

        queue = django_rq.get_queue("default")
        queue.empty()
        started = time.perf_counter()
        for index in range(args.jobs):
            enqueue(render_pdf_job, "bj_enrollment.application", apps[index % len(apps)].pk)
        enqueued = time.perf_counter() - started
        worker = [sys.executable, str(ROOT / "manage.py"), "rqworker", "default", "--burst",
                  "--worker-class", args.worker_class]
        subprocess.run(worker,  # noqa: S603
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = time.perf_counter() - started
        failed = queue.failed_job_registry.count
        print(f"RQ batch: {args.jobs} forms in {total:.1f} s (enqueue {enqueued:.1f} s) = "  # noqa: T201
              f"{args.jobs / total:.1f} forms/s with one burst {args.worker_class}; {failed} failed")
    finally:
        remove_city()


if __name__ == "__main__":
    main()
