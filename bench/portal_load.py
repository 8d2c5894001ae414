"""Load test of the parent portal against gunicorn (2 workers) on MariaDB and Redis over loopback.

Measures registrations/s (API POST /api/v1/registrations: every rule, Argon2 hash, five inserts)
and status page views/s (GET /portal/home/ with a logged-in session), with p50/p95/p99 latencies,
and the Argon2 hasher's share of a registration, timed on its own.

Needs a server site (MariaDB + Redis), e.g. the one `./run serve` creates:

    BJ_SITE=local BJ_HTTPS=false .venv/bin/python bench/portal_load.py [--registrations 400] [--views 2000]

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

from harness import ROOT

YEAR = 9999
PASSWORD = "Bench2026load"
LIFTED = dict.fromkeys(("sms_per_ip", "sms_per_mobile", "register_per_ip", "login_per_ip", "api_per_ip"), "1000000/h")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):.0f} ms, p95 {pick(0.95):.0f} ms, p99 {pick(0.99):.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
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
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/portal/", timeout=5)
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

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            views = list(pool.map(view, range(args.views)))
        wall = time.perf_counter() - started
        out(f"status page views: {args.views} in {wall:.1f} s = {args.views / wall:.1f}/s, {percentiles(views)}\n")

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
