"""Benchmark of one workflow transition on MariaDB: the desk's "pre-admit" through the engine
(row lock, permission and condition checks, save with history, transition record, the application's
ordered steps, then the message template lookup). Runs in a throw-away test database of the site's MariaDB.

    BJ_SITE=test BJ_HTTPS=false .venv/bin/python bench/workflow_bench.py [--applies 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import harness  # noqa: F401 - the project on sys.path, the site's settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applies", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.runner import DiscoverRunner
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        from apps.bj_enrollment import workflow_actions as actions
        from apps.bj_enrollment.models import Application
        from apps.lowcode.workflow import engine
        from tests import factories

        city = factories.City.build()
        apps = [
            factories.application(
                city.campaign, factories.child(f"童{i}"), city.east, city.east_school, mobile=f"139{i:08d}"
            )
            for i in range(args.applies)
        ]
        user = city.east_school_reviewer
        engine.available_actions(user, apps[0])  # warm the definition cache
        applies, lists, queries = [], [], []
        for app in apps:
            app = Application.objects.get(pk=app.pk)
            started = time.perf_counter()
            engine.available_actions(user, app)
            lists.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                engine.apply_action(user, app, actions.PRE_ADMIT)
                applies.append(time.perf_counter() - started)
            queries.append(len(ctx.captured_queries))
        out = sys.stdout.write
        p95 = sorted(applies)[int(len(applies) * 0.95)] * 1000
        out(f"engine: {connection.vendor}, {args.applies} applications\n")
        out(f"apply_action:      median {statistics.median(applies) * 1000:.2f} ms, p95 {p95:.2f} ms, ")
        out(f"{statistics.median(queries):.0f} queries\n")
        out(f"available_actions: median {statistics.median(lists) * 1000:.2f} ms\n")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
