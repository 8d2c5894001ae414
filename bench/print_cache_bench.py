"""Benchmark of the stored printed form (#17): first render, reprint from storage, web-process memory.

On a site with demo data (`manage.py build_demo_site`), MariaDB and Redis:

1. first render: the print worker's work for one version (context, key, WeasyPrint, storing), p50, in a
   process prepared as the print worker prepares itself (`printing.worker.prepare`), and the PDF's size;
2. reprint: `GET /portal/form.pdf` as the family, through Django's test client with a real session,
   served from storage (the gate, the context, the key, the file): p50, p95 and queries;
3. memory of a fresh web-like process (PSS) after serving reprints, and after rendering one PDF in
   it, which is what a web worker would carry if it rendered.

Files go to a temporary folder, not the site's storage.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/print_cache_bench.py [--forms 30] [--requests 100]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import out, summary


def _pss_mib() -> float:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _printable(count: int):
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.rules.printing import check_can_print

    found = []
    candidates = Application.objects.filter(account__isnull=False).select_related("account").order_by("pk")
    for app in candidates.iterator(chunk_size=500):
        try:
            check_can_print(app)
        except Exception:  # noqa: BLE001, S112 - not printable: skip it
            continue
        found.append(app)
        if len(found) == count:
            break
    if not found:
        raise SystemExit("no printable application with a family account: build the demo site first")
    return found


def probe(media_root: str, pks: list[int]) -> None:
    """Child process: reprints only (the web path), then one rendering; prints JSON figures."""
    import django

    django.setup()
    from django.test.utils import override_settings

    from apps.bj_enrollment.models import Application
    from apps.lowcode.printing import stored

    with override_settings(MEDIA_ROOT=media_root, PRINT_IN_PROCESS=False, PRINT_WAIT_SECONDS=0):
        start = _pss_mib()
        for app in Application.objects.filter(pk__in=pks):
            if stored.printed(app) is None:
                raise SystemExit(f"application {app.pk} has no stored form")
        after_reprints = _pss_mib()
        loaded = "weasyprint" in sys.modules
        app = Application.objects.get(pk=pks[0])
        stored.render_and_store(stored.version_of(app))
        after_render = _pss_mib()
    out(json.dumps({"start": start, "reprints": after_reprints, "weasyprint_loaded": loaded,
                    "render": after_render}))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=30)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        probe(args.probe[0], [int(pk) for pk in args.probe[1:]])
        return {}

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from apps.lowcode.printing import stored

    try:
        from apps.lowcode.printing import worker
    except ImportError:  # an older tree, measured side by side
        worker = None
    figures = {}
    with tempfile.TemporaryDirectory() as media_root, override_settings(MEDIA_ROOT=media_root):
        apps = _printable(args.forms)
        if worker is not None:
            worker.prepare()  # what the print worker does at start, before it forks a job
        stored.render_and_store(stored.version_of(apps[0]))  # warm: formats, templates, fonts, loaded once
        first, sizes = [], []
        for app in apps[1:] or apps:
            started = time.perf_counter()
            sizes.append(len(stored.render_and_store(stored.version_of(app))))
            first.append(time.perf_counter() - started)
        out(f"{'first render (print worker: context, key, PDF, store)':58s} {summary(first)}  "
            f"PDF {statistics.median(sizes) / 1024:.0f} KiB")
        figures["print first render p50 ms"] = statistics.median(first) * 1000
        figures["print PDF KiB"] = statistics.median(sizes) / 1024
        gc.unfreeze()  # the reprints below are the web's path: a web worker freezes nothing

        url, samples, queries = reverse("portal:print"), [], 0
        clients = []
        for app in apps:
            client = Client(HTTP_HOST="localhost")
            client.force_login(app.account)
            clients.append(client)
            client.get(url)
        for n in range(args.requests):
            client = clients[n % len(clients)]
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - started)
            if response.status_code != 200 or response["Content-Type"] != "application/pdf":
                raise SystemExit(f"reprint answered {response.status_code}")
            queries = len(ctx)
        out(f"{'reprint, GET /portal/form.pdf from storage':58s} {summary(samples)}  {queries} queries")
        figures["print reprint p50 ms"] = statistics.median(samples) * 1000
        figures["print reprint queries"] = queries

        result = subprocess.run(
            [sys.executable, __file__, "--probe", media_root, *[str(app.pk) for app in apps]],
            capture_output=True, text=True, check=True, env={**os.environ},
        )
        pss = json.loads(result.stdout.strip().splitlines()[-1])
        out(f"fresh process PSS: {pss['start']:.0f} MiB; after {len(apps)} reprints {pss['reprints']:.0f} MiB "
            f"(WeasyPrint loaded: {'yes' if pss['weasyprint_loaded'] else 'no'}); "
            f"after rendering one PDF in it {pss['render']:.0f} MiB")
        figures["web PSS after reprints MiB"] = pss["reprints"]
        figures["PSS after one render MiB"] = pss["render"]
    return figures


if __name__ == "__main__":
    main()
