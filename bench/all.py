"""Every benchmark of issue #17 in one command, one table of figures with queries per request.

On a MariaDB + Redis site with the demo city (`manage.py build_demo_site --applications 20000`):

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/all.py [--applications 300000] [--rounds 5]

1. grows the city to `--applications` by copying the demo's applications in SQL (desk_bench.grow_city;
   `--shrink` removes the copies at the end);
2. starts gunicorn (config/gunicorn.py, 2 sync workers, staff second factor off for the bench's
   sessions) on a free local port and measures, in `--rounds` interleaved rounds, each page's
   latency with one client (the server's time, p50) and its throughput with `--clients` concurrent
   clients (req/s); medians of the rounds are printed, with the queries one request makes (counted
   in this process through Django's test client). Throughput is measured with `wrk` when it is
   installed (`apt-get install wrk`: a C client whose own CPU, on the server's cores, is a small
   fraction of Python's), else with Python `requests` threads in this process; `--client both`
   measures with each, interleaved, to show how much of a figure was the client. `--only TEXT`
   measures only the pages whose label contains TEXT (and nothing else);
3. times a log-in's password check at Django's default Argon2 parameters and at the site's
   (config/passwords.py), and log-ins/s through the API with the site's;
4. runs bench/print_cache_bench.py, bench/export_bench.py, bench/graduate_import_bench.py (the worker's import
   of graduates from a spreadsheet, 5,000 rows; `--rows 150000` alone for a city) and
   bench/junior_confirm_load.py (the family's confirmation page) and bench/web_memory_bench.py (the web
   workers' PSS under a mixed load) when present and prints their lines.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from harness import ROOT, out, web_server

os.environ.setdefault("BJ_STAFF_2FA", "false")


NUMBER = "@N@"  # in a body: replaced by a new number at every request (a save that always changes something)
WRK, PYTHON = "wrk", "requests"
# wrk's request script: one Lua state per wrk thread, so a body's number is the run's, the thread's and a count
WRK_LUA = """
wrk.method = %(method)s
wrk.headers = %(headers)s
wrk.body = %(body)s
local parts, run, count, threads = %(parts)s, %(run)s, 0, 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)  -- a global of that thread's state
end
if #parts == 2 then
  function request()
    count = count + 1
    return wrk.format(nil, nil, nil, parts[1] .. run .. "-" .. tostring(thread_number) .. "-" .. count .. parts[2])
  end
end
"""


def lua(value) -> str:
    """A Lua literal for a str, a list of str or a dict of str (the body is ASCII: JSON-escaped)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    return json.dumps(value)  # a JSON string of ASCII is a Lua string


class Case:
    """One page: how to ask for it (method, path, body, session cookie) and its figures."""

    def __init__(self, label, method, path, cookie, body=None, headers=None):
        self.label, self.method, self.path, self.cookie, self.body = label, method, path, cookie, body
        self.headers = headers or {}
        self.p50, self.rps, self.queries, self.status, self.refused = [], {}, None, None, 0
        self.numbers = itertools.count()

    def fresh_body(self):
        return self.body and self.body.replace(NUMBER, f"{time.time_ns()}-{next(self.numbers)}")

    def call(self, session, base):
        response = session.request(
            self.method, base + self.path, data=self.fresh_body(), headers=self.headers, cookies=self.cookie,
            allow_redirects=False, timeout=60,
        )
        self.status = response.status_code
        return response

    def wrk_script(self) -> str:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookie.items())
        return WRK_LUA % {
            "method": lua(self.method), "headers": lua({**self.headers, "Cookie": cookie}),
            "body": lua(self.body or "") if not self.body or NUMBER not in self.body else "nil",
            "parts": lua(self.body.split(NUMBER) if self.body and NUMBER in self.body else []),
            "run": lua(secrets.token_hex(3)),
        }


def latency(case: Case, base: str, samples_wanted: int) -> None:
    import requests

    with requests.Session() as one:
        case.call(one, base)  # warm the worker
        samples = []
        for _ in range(samples_wanted):
            started = time.perf_counter()
            case.call(one, base)
            samples.append(time.perf_counter() - started)
    case.p50.append(statistics.median(samples))


def throughput_python(case: Case, base: str, requests_per_round: int, clients: int) -> float:
    """`clients` threads of Python `requests` in this process, on the server's cores."""
    import requests

    def worker(n):
        with requests.Session() as s:
            for _ in range(n):
                case.call(s, base)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, [requests_per_round // clients] * clients))
    return clients * (requests_per_round // clients) / (time.perf_counter() - started)


def throughput_wrk(case: Case, base: str, seconds: int, clients: int) -> float:
    """wrk with `clients` connections on one thread for `seconds`; answers other than 2xx/3xx are
    counted in `case.refused` (shown in the table), as a refused request is no measure of the page."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(case.wrk_script())
        script.flush()
        command = [shutil.which("wrk") or "wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "60s"]
        result = subprocess.run([*command, "-s", script.name, base + case.path], capture_output=True, text=True,
                                check=True)
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    case.refused += int(refused.group(1)) if refused else 0
    return float(re.search(r"Requests/sec:\s*([\d.]+)", result.stdout).group(1))


def measure(case: Case, base: str, args, clients_used: list[str]) -> None:
    latency(case, base, max(10, args.requests // 4))
    for client in clients_used:
        rps = (throughput_wrk(case, base, args.seconds, args.clients) if client == WRK
               else throughput_python(case, base, args.requests, args.clients))
        case.rps.setdefault(client, []).append(rps)


def count_queries(case: Case, client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, case.method.lower())
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in case.headers.items()}

    def body() -> dict:
        return {"data": case.fresh_body(), "content_type": "application/json"}

    call(case.path, **(body() if case.body else {}), **headers)
    with CaptureQueriesContext(connection) as ctx:
        call(case.path, **(body() if case.body else {}), **headers)
    return len(ctx)


def password_checks(out_rows: list, throughput_columns: int) -> None:
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
                         f"{p50 * 1000:.0f} ms", *[f"{1 / p50:.0f}/s per core"] * throughput_columns, "0"))


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=80,
                        help="requests per page per round (Python client's throughput; a quarter for the p50)")
    parser.add_argument("--seconds", type=int, default=3, help="wrk's time per page per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--client", choices=("auto", WRK, PYTHON, "both"), default="auto",
                        help="who measures the throughput: wrk if installed (auto), Python requests, or both")
    parser.add_argument("--only", help="only the pages whose label contains this text, and no other benchmark")
    parser.add_argument("--shrink", action="store_true", help="remove the copied applications at the end")
    args = parser.parse_args()
    has_wrk = shutil.which("wrk") is not None
    if args.client in (WRK, "both") and not has_wrk:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    clients_used = {"auto": [WRK if has_wrk else PYTHON], WRK: [WRK], PYTHON: [PYTHON], "both": [WRK, PYTHON]}
    clients_used = clients_used[args.client]

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
    # every save changes the address: a real write and its history row
    details_saved = json.dumps({**details_values, "residence-residence_address": f"压测路{NUMBER}号"})

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
             body=details_saved,
             headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": "http://localhost/"}),
    ]
    cases = [case for case in cases if not args.only or args.only in case.label]
    for case in cases:
        client = sessions["reviewer" if case.cookie is cookie["reviewer"] else
                          "admin" if case.cookie is cookie["admin"] else "parent"]
        client.cookies["csrftoken"] = csrf
        case.queries = count_queries(case, client)

    with web_server() as (_server, base):
        for round_number in range(args.rounds):
            for case in cases:
                measure(case, base, args, clients_used if round_number % 2 == 0 else clients_used[::-1])
            out(f"round {round_number + 1}/{args.rounds} done")

    def rps(case, client):
        refused = f" ({case.refused} refused)" if client == WRK and case.refused else ""
        return f"{statistics.median(case.rps[client]):.0f} req/s{refused}"

    rows = [(f"{c.label} [{c.status}]", f"{statistics.median(c.p50) * 1000:.1f} ms",
             *(rps(c, client) for client in clients_used), str(c.queries)) for c in cases]
    others = ("print_cache_bench.py", "export_bench.py", "graduate_import_bench.py", "junior_confirm_load.py",
              "web_memory_bench.py")
    if not args.only:
        password_checks(rows, len(clients_used))
    for script in () if args.only else others:
        path = ROOT / "bench" / script
        if path.exists():
            result = subprocess.run([sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True, check=False)
            for line in (result.stdout + result.stderr).strip().splitlines()[-8:]:
                rows.append((f"{script}: {line.strip()}", "", *[""] * len(clients_used), ""))
    if args.shrink:
        desk_bench.shrink_city()

    out()
    described = {WRK: f"wrk, {args.clients} connections", PYTHON: f"Python requests, {args.clients} threads"}
    out(f"{total:,} applications, gunicorn 2 workers, medians of {args.rounds} rounds; throughput measured by "
        + " and ".join(described[client] for client in clients_used))
    width = max(len(r[0]) for r in rows)
    heads = [f"throughput ({client})" for client in clients_used]
    out(f"{'work':{width}}  {'p50 (1 client)':>14}  " + "  ".join(f"{h:>24}" for h in heads) + "  queries")
    for label, p50, *figures, queries in rows:
        out(f"{label:{width}}  {p50:>14}  " + "  ".join(f"{f:>24}" for f in figures) + f"  {queries}")


if __name__ == "__main__":
    main()
