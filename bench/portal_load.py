"""Load test of the parent portal against gunicorn (2 workers) on MariaDB and Redis over loopback.

Measures registrations/s (API POST /api/v1/registrations: every rule, Argon2 hash, five inserts)
and status page views/s (GET /portal/home/ with a logged-in session), with p50/p95/p99 latencies,
and the Argon2 hasher's share of a registration, timed on its own.

Needs a server site (MariaDB + Redis), e.g. the one `./run serve` creates:

    BJ_SITE=local BJ_HTTPS=false .venv/bin/python bench/portal_load.py [--registrations 400] [--views 2000]

Then the parent's API read, details read and details save (issue #17), optionally against several
checkouts at once, interleaved (before/after a change: `git worktree add /tmp/before <commit>`, copy
sites/<site>/site_config.json there, then `--server-root /tmp/before --server-root . --rounds 5`).

The site's database gets a bench campaign and bench applications (form numbers of the bench year
9999), removed at the end. SMS codes are issued by this process into the shared Redis, the way the
portal issues them, and used by the requests; the rate limits are lifted for the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import ROOT

YEAR = 9999
PASSWORD = "Bench2026load"
LIFTED = dict.fromkeys(("sms_per_ip", "sms_per_mobile", "register_per_ip", "login_per_ip", "api_per_ip"), "1000000/h")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):.0f} ms, p95 {pick(0.95):.0f} ms, p99 {pick(0.99):.0f} ms"


def parent_api(args, sessions, bases, roots, out) -> None:
    """The parent's read of the own application, of its details and a details save (two guardians,
    the address changed on every save) through each server root: p50 with one client, req/s with
    `--clients`, in `--rounds` interleaved rounds; medians printed, with the ratio to the first root."""
    csrf = "benchcsrftoken0123456789abcdefgh"
    for session in sessions:
        session.cookies.set("csrftoken", csrf)
    values = {}
    for n, session in enumerate(sessions):
        got = session.get(f"{bases[0]}/api/v1/application/details", timeout=30).json()["values"]
        street = got.get("residence-residence_street")
        values[n] = {**{k: v for k, v in got.items() if v not in (None, "")}, "residence-residence_street": street,
                     "g1-name": "压测父亲", "g1-relationship": "father", "g1-phone": "13900000001",
                     "g2-name": "压测母亲", "g2-relationship": "mother", "g2-phone": "13900000002"}
    counter = iter(range(10**9))

    def put(session, base, n):
        body = {**values[n], "residence-residence_address": f"压测路{next(counter)}号"}
        return session.put(f"{base}/api/v1/application/details", json=body, timeout=30,
                           headers={"X-CSRFToken": csrf, "Referer": base + "/"})

    cases = {
        "parent reads own application": lambda s, b, n: s.get(f"{b}/api/v1/application", timeout=30),
        "parent reads own details": lambda s, b, n: s.get(f"{b}/api/v1/application/details", timeout=30),
        "parent saves details (2 guardians)": put,
    }
    figures = {(label, root): ([], []) for label in cases for root in range(len(bases))}
    for _round in range(args.rounds):
        for label, call in cases.items():
            for r, base in enumerate(bases):
                session = sessions[0]
                response = call(session, base, 0)
                if response.status_code != 200:
                    raise RuntimeError(f"{label}: {response.status_code} {response.text[:300]}")
                samples = []
                for _ in range(max(20, args.parent_requests // 8)):
                    started = time.perf_counter()
                    call(session, base, 0)
                    samples.append(time.perf_counter() - started)
                per_client = args.parent_requests // args.clients

                def client(c, base=base, call=call, per_client=per_client, label=label):
                    for _ in range(per_client):
                        response = call(sessions[c % len(sessions)], base, c % len(sessions))
                        if response.status_code != 200:
                            raise RuntimeError(f"{label} {base}: {response.status_code} {response.text[:300]}")

                started = time.perf_counter()
                with ThreadPoolExecutor(args.clients) as pool:
                    list(pool.map(client, range(args.clients)))
                wall = time.perf_counter() - started
                figures[label, r][0].append(statistics.median(samples))
                figures[label, r][1].append(per_client * args.clients / wall)
    for label in cases:
        first = None
        for r, root in enumerate(roots):
            p50 = statistics.median(figures[label, r][0]) * 1000
            rps = statistics.median(figures[label, r][1])
            first = first or (p50, rps)
            ratio = f", ×{rps / first[1]:.2f} req/s, ×{first[0] / p50:.2f} p50 speed vs first" if r else ""
            out(f"{label} [{root.name}]: p50 {p50:.1f} ms (1 client), {rps:.0f} req/s "
                f"({args.clients} clients, medians of {args.rounds} rounds){ratio}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--parent-requests", type=int, default=400, help="per round, for each parent API case")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the parent API cases")
    parser.add_argument("--server-root", action="append", default=[],
                        help="serve from this checkout instead (repeat to compare, e.g. a git worktree of the "
                             "commit before a change: each round runs every root in turn, interleaved)")
    args = parser.parse_args()
    out = sys.stdout.write

    import django

    site = os.environ.get("BJ_SITE", "demo")
    config = ROOT / "sites" / site / "site_config.json"
    original = config.read_text()
    conf = json.loads(original)
    if "db_url" not in conf or "redis_url" not in conf:
        sys.exit(f"site {site} is not a MariaDB + Redis site")
    config.write_text(json.dumps({**conf, "portal_rate_limits": LIFTED}, indent=2))
    django.setup()
    import requests
    from django.contrib.auth.hashers import make_password

    from apps.bj_enrollment.choices import Gender, Stage
    from apps.bj_enrollment.models import Application, Campaign, CampaignWindow, Child, District
    from apps.bj_enrollment.portal import sms_codes
    from apps.bj_enrollment.rules.identity import make_resident_id

    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    district = District.objects.get_or_create(code="110101", defaults={"name": "东城区"})[0]
    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR,
        level="primary",
        defaults={"name": "压测", "age_cutoff": dt.date(YEAR - 6, 8, 31), "cohort_start": dt.date(YEAR - 7, 9, 1)},
    )
    now = dt.datetime.now(dt.UTC)
    CampaignWindow.objects.get_or_create(
        campaign=campaign,
        stage=Stage.REGISTRATION,
        district=None,
        defaults={"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=1)},
    )
    env = {**os.environ, "BJ_SITE": site, "BJ_HTTPS": "false"}
    roots = [Path(r).resolve() for r in args.server_root] or [ROOT]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port + n}"],
            cwd=root,
            env={**env, "PYTHONPATH": str(root)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n, root in enumerate(roots)
    ]
    bases = [f"http://127.0.0.1:{args.port + n}" for n in range(len(roots))]
    base = bases[-1]  # registrations and log-ins through this checkout (its SMS codes are the ones issued here)
    try:
        for each in bases:
            for _ in range(100):
                try:
                    requests.get(f"{each}/portal/", timeout=5)
                    break
                except requests.RequestException:
                    time.sleep(0.2)

        def register(i: int) -> tuple[float, str]:
            birth = dt.date(YEAR - 7, 9, 1) + dt.timedelta(days=i % 360)
            mobile = f"139{i:08d}"
            code = sms_codes.request_code(sms_codes.REGISTER, mobile, resend_seconds=1, ttl_seconds=600)
            body = {
                "district": district.pk,
                "hukou_province": "北京市",
                "hukou_district": district.pk,
                "residence_district": district.pk,
                "child_name": "压测儿童",
                "gender": "male",
                "birth_date": birth.isoformat(),
                "id_number": make_resident_id("110101", birth, i // 360, Gender.MALE),
                "guardian_name": "压测家长",
                "mobile": mobile,
                "sms_code": code,
                "password": PASSWORD,
                "password2": PASSWORD,
                "notice_read": True,
                "privacy_accepted": True,
            }
            started = time.perf_counter()
            response = requests.post(f"{base}/api/v1/registrations", json=body, timeout=30)
            elapsed = time.perf_counter() - started
            if response.status_code != 201:
                raise RuntimeError(response.text)
            return elapsed, response.json()["form_number"]

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(register, range(args.registrations)))
        wall = time.perf_counter() - started
        service_time = 2 * wall / args.registrations  # per registration, per gunicorn worker
        out(
            f"registrations: {args.registrations} in {wall:.1f} s = {args.registrations / wall:.1f}/s, "
            f"{percentiles([r[0] for r in results])} ({args.clients} clients, 2 gunicorn workers)\n"
        )

        sessions = []
        for _, number in results[: args.clients * 4]:
            session = requests.Session()
            page = session.get(f"{base}/portal/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            session.post(
                f"{base}/portal/login/",
                data={"username": number, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": base},
            )
            sessions.append(session)

        def view(i: int) -> float:
            session = sessions[i % len(sessions)]
            started = time.perf_counter()
            response = session.get(f"{base}/portal/home/", timeout=30)
            if response.status_code != 200 or "form-number" not in response.text:
                raise RuntimeError(f"status page {response.status_code}")
            return time.perf_counter() - started

        if args.views:  # --views 0: skip the status page
            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                views = list(pool.map(view, range(args.views)))
            wall = time.perf_counter() - started
            out(f"status page views: {args.views} in {wall:.1f} s = {args.views / wall:.1f}/s, {percentiles(views)}\n")

        parent_api(args, sessions, bases, roots, out)

        hashes = []
        for _ in range(20):
            t = time.perf_counter()
            make_password(PASSWORD)
            hashes.append(time.perf_counter() - t)
        hasher = statistics.median(hashes)
        out(
            f"Argon2 hash: median {hasher * 1000:.0f} ms of a registration's {service_time * 1000:.0f} ms service time "
            f"per worker ({100 * hasher / service_time:.0f} %)\n"
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        from django.contrib.auth import get_user_model

        numbers = list(Application.objects.filter(campaign=campaign).values_list("form_number", flat=True))
        Application.history.filter(campaign_id=campaign.pk).delete()
        for app in Application.objects.filter(campaign=campaign):
            app.guardians.all().delete()
        Application.objects.filter(campaign=campaign).delete()
        get_user_model().objects.filter(username__in=numbers).delete()
        Child.objects.filter(name="压测儿童", applications__isnull=True).delete()
        campaign.delete()
        config.write_text(original)


if __name__ == "__main__":
    main()
