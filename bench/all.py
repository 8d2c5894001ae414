"""Every benchmark of issue #17 in one command, one table of figures with queries per request.

On a MariaDB + Redis site with the demo city (`manage.py build_demo_site --applications 20000`):

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/all.py [--applications 300000] [--rounds 5]

1. grows the city to `--applications` by copying the demo's applications in SQL (desk_bench.grow_city;
   `--shrink` removes the copies at the end);
2. starts gunicorn (config/gunicorn.py, 2 sync workers, staff second factor off for the bench's
   sessions) on a free local port and measures, in `--rounds` interleaved rounds, each page's
   latency with one client (the server's time, p50) and its throughput with `--clients` concurrent
   clients (req/s); medians of the rounds are printed, with the queries one request makes (counted
   in this process through Django's test client);
3. times a log-in's password check at Django's default Argon2 parameters and at the site's
   (config/passwords.py), and log-ins/s through the API with the site's;
4. runs bench/print_cache_bench.py, bench/export_bench.py, bench/graduate_import_bench.py (the worker's import
   of graduates from a spreadsheet, 5,000 rows; `--rows 150000` alone for a city) and
   bench/junior_confirm_load.py (the family's confirmation page) when present and prints their lines.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from harness import ROOT, out

os.environ.setdefault("BJ_STAFF_2FA", "false")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Case:
    """One page: how to ask for it (method, path, body, session cookie) and its figures."""

    def __init__(self, label, method, path, cookie, body=None, headers=None):
        self.label, self.method, self.path, self.cookie, self.body = label, method, path, cookie, body
        self.headers = headers or {}
        self.p50, self.rps, self.queries, self.status = [], [], None, None

    def call(self, session, base):
        response = session.request(
            self.method, base + self.path, data=self.body() if callable(self.body) else self.body,
            headers=self.headers, cookies=self.cookie,
            allow_redirects=False, timeout=60,
        )
        self.status = response.status_code
        return response


def measure(case: Case, base: str, requests_per_round: int, clients: int) -> None:
    import requests

    with requests.Session() as one:
        case.call(one, base)  # warm the worker
        samples = []
        for _ in range(max(10, requests_per_round // 4)):
            started = time.perf_counter()
            case.call(one, base)
            samples.append(time.perf_counter() - started)
    case.p50.append(statistics.median(samples))

    def worker(n):
        with requests.Session() as s:
            for _ in range(n):
                case.call(s, base)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, [requests_per_round // clients] * clients))
    case.rps.append(clients * (requests_per_round // clients) / (time.perf_counter() - started))


def count_queries(case: Case, client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, case.method.lower())
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in case.headers.items()}

    def body() -> dict:
        return {"data": case.body() if callable(case.body) else case.body, "content_type": "application/json"}

    call(case.path, **(body() if case.body else {}), **headers)
    with CaptureQueriesContext(connection) as ctx:
        call(case.path, **(body() if case.body else {}), **headers)
    return len(ctx)


def password_checks(out_rows: list) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, get_hasher, make_password

    for label, hasher in (("Django's default Argon2", Argon2PasswordHasher()), ("site's Argon2", get_hasher())):
        encoded = make_password("Bench2026load", hasher=hasher)
        samples = []
        for _ in range(10):
            started = time.perf_counter()
            check_password("Bench2026load", encoded)
            samples.append(time.perf_counter() - started)
        p50 = statistics.median(samples)
        out_rows.append((f"password check, {label} ({hasher.memory_cost // 1024} MiB, {hasher.parallelism} lanes)",
                         f"{p50 * 1000:.0f} ms", f"{1 / p50:.0f}/s per core", "0"))


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=80, help="requests per page per round (throughput)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--shrink", action="store_true", help="remove the copied applications at the end")
    args = parser.parse_args()

    import django

    django.setup()
    import desk_bench
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from apps.bj_enrollment.choices import ApplicationState
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.scope import scope_of

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.mysql" or not settings.REDIS_URL:
        raise SystemExit("bench/all.py needs a MariaDB + Redis site (BJ_SITE)")
    total = desk_bench.grow_city(args.applications)
    out(f"city: {total:,} applications")

    User = get_user_model()
    reviewer, admin = User.objects.get(username="district_reviewer"), User.objects.get(username="city_admin")
    parent_app = (
        Application.objects.filter(account__isnull=False, state=ApplicationState.REGISTERED).order_by("pk").first()
        or Application.objects.filter(account__isnull=False).order_by("pk").first()
    )
    sessions = {}
    for name, user in (("reviewer", reviewer), ("admin", admin), ("parent", parent_app.account)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        sessions[name] = client
    cookie = {name: {"sessionid": c.cookies["sessionid"].value} for name, c in sessions.items()}
    csrf = "benchcsrftoken0123456789abcdefgh"
    changelist = reverse("admin:bj_enrollment_application_changelist")
    district_id = scope_of(reviewer).district_id
    details_values = sessions["parent"].get("/api/v1/application/details").json().get("values", {})
    import itertools
    import json

    saves = itertools.count()  # every save changes the address: a real write and its history row

    cases = [
        Case("reviewer's list: district, state filter, 50 rows", "GET",
             f"{changelist}?district__id__exact={district_id}&state__exact=pre_admitted", cookie["reviewer"]),
        Case("reviewer's list: unfiltered", "GET", changelist, cookie["reviewer"]),
        Case("statistics, city administrator", "GET", reverse("desk-statistics"), cookie["admin"]),
        Case("statistics, district reviewer", "GET", reverse("desk-statistics"), cookie["reviewer"]),
        Case("parent reads own application", "GET", "/api/v1/application", cookie["parent"]),
        Case("parent reads own details", "GET", "/api/v1/application/details", cookie["parent"]),
        Case("parent saves details (address changed)", "PUT", "/api/v1/application/details",
             {**cookie["parent"], "csrftoken": csrf},
             body=lambda: json.dumps({**details_values, "residence-residence_address": f"压测路{next(saves)}号"}),
             headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": "http://localhost/"}),
    ]
    for case in cases:
        client = sessions["reviewer" if case.cookie is cookie["reviewer"] else
                          "admin" if case.cookie is cookie["admin"] else "parent"]
        client.cookies["csrftoken"] = csrf
        case.queries = count_queries(case, client)

    # the portal's and API's rate limits lifted for the run (as bench/portal_load.py does), restored after
    config = ROOT / "sites" / os.environ.get("BJ_SITE", "demo") / "site_config.json"
    original = config.read_text()
    lifted = dict.fromkeys(("api_per_ip", "login_per_ip", "sms_per_ip", "register_per_ip"), "1000000/h")
    config.write_text(json.dumps({**json.loads(original), "portal_rate_limits": lifted}, indent=2))
    port = free_port()
    env = {**os.environ, "BJ_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "BJ_STAFF_2FA": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        for _ in range(100):
            try:
                requests.get(base + "/portal/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.3)
        for round_number in range(args.rounds):
            for case in cases:
                measure(case, base, args.requests, args.clients)
            out(f"round {round_number + 1}/{args.rounds} done")
    finally:
        server.terminate()
        server.wait(30)
        config.write_text(original)

    rows = [(f"{c.label} [{c.status}]", f"{statistics.median(c.p50) * 1000:.1f} ms",
             f"{statistics.median(c.rps):.0f} req/s", str(c.queries)) for c in cases]
    password_checks(rows)
    for script in ("print_cache_bench.py", "export_bench.py", "graduate_import_bench.py", "junior_confirm_load.py"):
        path = ROOT / "bench" / script
        if path.exists():
            result = subprocess.run([sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True, check=False)
            for line in (result.stdout + result.stderr).strip().splitlines()[-8:]:
                rows.append((f"{script}: {line.strip()}", "", "", ""))
    if args.shrink:
        desk_bench.shrink_city()

    out()
    out(f"{total:,} applications, gunicorn 2 workers, {args.clients} clients, medians of {args.rounds} rounds")
    width = max(len(r[0]) for r in rows)
    out(f"{'work':{width}}  {'p50 (1 client)':>14}  {'throughput':>16}  queries")
    for label, p50, rps, queries in rows:
        out(f"{label:{width}}  {p50:>14}  {rps:>16}  {queries}")


if __name__ == "__main__":
    main()
