"""Benchmark of the reviewers' desk on a 300,000-application city (MariaDB + Redis).

Build the city once (about 10 minutes), then run the benchmark as often as wanted:

    BJ_SITE=bench BJ_HTTPS=false .venv/bin/python manage.py build_demo_site --applications 300000
    BJ_SITE=bench BJ_HTTPS=false .venv/bin/python bench/desk_bench.py [--requests 30] [--bulk 20000]

Measures, through real HTTP requests of Django's test client with real sessions:
- the application list filtered by district and state, as that district's reviewer (scoped) and as
  the city administrator, first pages and a deep page, plus a form-number search: p50/p95 and queries;
- the statistics page as the city administrator and as a district reviewer;
- a bulk "Confirm admission" over `--bulk` pre-admitted applications of one district through the
  worker job, inside a transaction rolled back at the end, so the city is unchanged;
- a city-wide student-registry export (Excel and CSV): wall time, rows, peak memory.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness import out, summary


def timed_gets(client, url: str, n: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (definitions, templates, navigation)
    samples, queries = [], 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        queries = len(ctx)
    return samples, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=20000)
    parser.add_argument("--skip-pages", action="store_true", help="only the bulk confirmation and the export")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from apps.bj_enrollment.models import Application, District

    total = Application.objects.count()
    if total < 100_000:
        raise SystemExit(f"only {total} applications: build the city first (see the docstring)")
    User = get_user_model()
    reviewer = User.objects.get(username="district_reviewer")
    admin = User.objects.get(username="city_admin")
    district = District.objects.get(name="东城区")
    out(f"city: {total:,} applications, {district.applications.count():,} in {district.name}")

    changelist = reverse("admin:bj_enrollment_application_changelist")
    filtered = f"{changelist}?district__id__exact={district.pk}&state__exact=pre_admitted"
    some = Application.objects.filter(district=district).values_list("form_number", flat=True).first()
    cases = [
        ("list, district+state filter, district reviewer", reviewer, filtered),
        ("list, same filter, page 20, district reviewer", reviewer, f"{filtered}&p=20"),
        ("list, same filter, city administrator", admin, filtered),
        ("list, unfiltered, city administrator", admin, changelist),
        ("search by form number, district reviewer", reviewer, f"{changelist}?q={some}"),
        ("statistics, city administrator", admin, reverse("desk-statistics")),
        ("statistics, district reviewer", reviewer, reverse("desk-statistics")),
    ]
    for label, user, url in [] if args.skip_pages else cases:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        if "?q=" in url:  # a search is posted once; the list then runs under the term's session key
            url = client.post(changelist, {"_search": "1", "q": url.split("?q=", 1)[1]})["Location"]
        samples, queries = timed_gets(client, url, args.requests)
        out(f"{label:50s} {summary(samples)}  {queries} queries")

    bulk_confirm(reviewer, district, args.bulk)
    city_export(admin)


CLONE_STRIDE = 1_000_000  # ids of the k-th copy of a demo row: original id + k * CLONE_STRIDE


def grow_city(target: int, log=out) -> int:
    """Copies the demo's applications (and their children) with SQL `INSERT … SELECT` until the
    city holds `target` applications: 300,000 in about a minute instead of the demo builder's 15.
    Copies get ids above CLONE_STRIDE and form numbers starting with 9, so `shrink_city` finds them."""
    from django.db import connection, transaction

    from apps.bj_enrollment.models import Application, Child

    app_table, child_table = Application._meta.db_table, Child._meta.db_table
    originals = Application.objects.filter(pk__lt=CLONE_STRIDE).count()
    if not originals or Application.objects.filter(pk__lt=CLONE_STRIDE).order_by("-pk")[0].pk >= 100_000:
        raise SystemExit("copies need a demo city of 1 to 99,999 applications: build it first")
    child_columns = [f.column for f in Child._meta.concrete_fields if f.column not in ("id", "id_number")]
    app_columns = [
        f.column for f in Application._meta.concrete_fields
        if not f.generated and f.column not in ("id", "child_id", "form_number", "account_id")
    ]
    copy = 1
    while (total := Application.objects.count()) < target:
        if Application.objects.filter(pk__gt=copy * CLONE_STRIDE, pk__lt=(copy + 1) * CLONE_STRIDE).exists():
            copy += 1
            continue
        limit = min(originals, target - total)
        offset = copy * CLONE_STRIDE
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(  # table and column names, numbers: the bench's own
                f"INSERT INTO {child_table} (id, id_number, {', '.join(child_columns)}) "  # noqa: S608
                f"SELECT id + {offset}, CONCAT('C{copy}-', id_number), {', '.join(child_columns)} "
                f"FROM {child_table} WHERE id < {CLONE_STRIDE}"
            )
            cursor.execute(
                f"INSERT INTO {app_table} (id, child_id, form_number, {', '.join(app_columns)}) "  # noqa: S608
                f"SELECT id + {offset}, child_id + {offset}, CONCAT('9', LPAD({copy}, 2, '0'), LPAD(id, 5, '0')), "
                f"{', '.join(app_columns)} FROM {app_table} WHERE id < {CLONE_STRIDE} ORDER BY id LIMIT {limit}"
            )
        log(f"copy {copy}: {limit:,} applications in {time.perf_counter() - started:.1f} s")
        copy += 1
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE TABLE {app_table}, {child_table}")
        cursor.fetchall()
    return Application.objects.count()


def shrink_city(log=out) -> None:
    """Removes what `grow_city` added (and anything that hangs on it), leaving the demo city."""
    from django.db import connection, transaction

    from apps.bj_enrollment.models import Application, Child

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Application._meta.db_table} WHERE id >= {CLONE_STRIDE}")  # noqa: S608
        cursor.execute(f"DELETE FROM {Child._meta.db_table} WHERE id >= {CLONE_STRIDE}")  # noqa: S608
    log(f"city back to {Application.objects.count():,} applications")


def bulk_confirm(user, district, size: int) -> None:
    """`size` city-wide applications set to pre-admitted, confirmed by the worker job (run here, in
    this process) as a reviewer without a district limit; all rolled back afterwards."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from apps.bj_enrollment import roles
    from apps.bj_enrollment import workflow_actions as actions
    from apps.bj_enrollment.choices import ApplicationState
    from apps.bj_enrollment.models import Application
    from apps.lowcode.workflow import bulk
    from apps.lowcode.workflow.models import BulkTransition

    with transaction.atomic():
        reviewer = type(user).objects.create(username="bench-bulk", is_staff=True, is_superuser=True)
        reviewer.groups.add(Group.objects.get(name=roles.DISTRICT_REVIEWER))
        live = Application.objects.exclude(state__in=ApplicationState.ended())  # a live child stays unique
        ids = list(live.order_by("pk").values_list("pk", flat=True)[:size])
        Application.objects.filter(pk__in=ids).update(state="pre_admitted")
        batch = BulkTransition.objects.create(
            content_type=ContentType.objects.get_for_model(Application),
            action=actions.CONFIRM_ADMISSION, requested_by=reviewer, object_ids=[str(i) for i in ids], total=len(ids),
        )
        started = time.perf_counter()
        bulk.run(batch.pk)
        took = time.perf_counter() - started
        batch.refresh_from_db()
        transaction.set_rollback(True)
    out(
        f"bulk confirm of {batch.total:,} applications (worker job, one transaction each): {took:.0f} s, "
        f"{batch.total / took:.0f}/s, {batch.applied:,} applied, {len(batch.refusals)} refused"
    )


def city_export(user) -> None:
    """R29 for the whole city, both formats; the export records are rolled back."""
    import resource
    import tracemalloc

    from django.db import transaction

    from apps.bj_enrollment.models import Campaign
    from apps.bj_enrollment.reports import registry_export

    campaign = Campaign.objects.order_by("-year").first()
    for file_format in ("xlsx", "csv"):
        times = []
        for traced in (False, False, False, True):  # tracemalloc slows allocation: time the untraced runs
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            with transaction.atomic():
                content, record = registry_export.export(user, campaign, file_format=file_format)
                transaction.set_rollback(True)
            if traced:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            else:
                times.append(time.perf_counter() - started)
        out(
            f"city-wide registry export ({file_format}): {record.rows:,} rows, "
            f"median {statistics.median(times):.1f} s, "
            f"{len(content) / 2**20:.1f} MiB file, peak {peak / 2**20:.0f} MiB traced, "
            f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
