"""Load test of the family's confirmation page of the junior-high portal (#15, R37) against gunicorn
(2 workers) on MariaDB and Redis over loopback: GET /portal/junior/confirm/ with a logged-in family's
session (each family logs in through the portal's own log-in with education ID and name), req/s and
p50/p95/p99 with `--clients` concurrent clients.

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/junior_confirm_load.py [--views 2000] [--clients 8]

The site's database gets an active bench junior-high campaign (year 9998) with `--families` students
waiting for confirmation, removed at the end; the portal's rate limits are lifted for the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from harness import ROOT, out

YEAR = 9998
LIFTED = dict.fromkeys(("sms_per_ip", "sms_per_mobile", "register_per_ip", "login_per_ip", "api_per_ip"), "1000000/h")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.50):.0f} ms, p95 {pick(0.95):.0f} ms, p99 {pick(0.99):.0f} ms"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _families(count: int):
    """The bench campaign (active, every stage open) and its students waiting for the family."""
    from django.utils import timezone

    from apps.bj_enrollment.choices import Level, Stage, StudentState
    from apps.bj_enrollment.models import Campaign, CampaignWindow, District, School, Student, StudentGuardian
    from apps.bj_enrollment.rules.identity import make_resident_id

    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR, level=Level.JUNIOR,
        defaults={"name": "小升初压测", "age_cutoff": dt.date(YEAR - 12, 8, 31),
                  "cohort_start": dt.date(YEAR - 13, 9, 1), "active": True},
    )
    now = timezone.now()
    for stage in Stage.values:
        CampaignWindow.objects.get_or_create(
            campaign=campaign, stage=stage, district=None,
            defaults={"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=1)},
        )
    district = District.objects.get_or_create(code="119902", defaults={"name": "压测区"})[0]
    school = School.objects.get_or_create(code="1199020001", defaults={"name": "压测小学", "district": district})[0]
    birth = dt.date(YEAR - 12, 3, 1)
    students = Student.objects.bulk_create([
        Student(campaign=campaign, education_id=f"L{YEAR}{n:08d}", name=f"压测{n}", birth_date=birth, gender="male",
                id_number=make_resident_id("110101", birth, n, "male"), hukou_province="北京市",
                graduating_school=school, graduating_class="六年级1班", district=district,
                mobile=f"137{n:08d}", state=StudentState.AWAITING_CONFIRMATION)
        for n in range(count)
    ])
    StudentGuardian.objects.bulk_create([
        StudentGuardian(student=s, name=f"家长{n}", relationship="father", phone=s.mobile)
        for n, s in enumerate(students)
    ])
    return campaign, students


def _cleanup() -> None:
    from apps.bj_enrollment.models import Campaign, Student, StudentGuardian

    campaigns = Campaign.objects.filter(year=YEAR, level="junior")
    StudentGuardian.objects.filter(student__campaign__in=campaigns).delete()
    Student.history.filter(campaign_id__in=campaigns.values("pk")).delete()
    Student.objects.filter(campaign__in=campaigns).delete()
    campaigns.delete()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--families", type=int, default=32)
    args = parser.parse_args(argv)

    import os

    import django

    site = os.environ.get("BJ_SITE", "demo")
    config = ROOT / "sites" / site / "site_config.json"
    original = config.read_text()
    conf = json.loads(original)
    if "db_url" not in conf or "redis_url" not in conf:
        sys.exit(f"site {site} is not a MariaDB + Redis site")
    config.write_text(json.dumps({**conf, "portal_rate_limits": LIFTED}, indent=2))
    server = None
    try:
        django.setup()
        import requests

        _cleanup()
        _campaign, students = _families(args.families)
        port = _free_port()
        env = {**os.environ, "BJ_SITE": site, "BJ_HTTPS": "false", "BJ_BIND": f"127.0.0.1:{port}",
               "WEB_CONCURRENCY": "2"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                requests.get(f"{base}/portal/junior/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        sessions = []
        for student in students:
            session = requests.Session()
            page = session.get(f"{base}/portal/junior/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            done = session.post(f"{base}/portal/junior/login/", headers={"Referer": base}, allow_redirects=False,
                                data={"education_id": student.education_id, "name": student.name,
                                      "csrfmiddlewaretoken": token})
            if done.status_code != 302:
                raise SystemExit(f"log-in refused ({done.status_code}): {done.text[-1500:]}")
            sessions.append(session)

        def view(i: int) -> float:
            started = time.perf_counter()
            response = sessions[i % len(sessions)].get(f"{base}/portal/junior/confirm/", timeout=30,
                                                       allow_redirects=False)
            if response.status_code != 200 or students[i % len(students)].education_id not in response.text:
                raise RuntimeError(f"confirmation page {response.status_code} without the student's data")
            return time.perf_counter() - started

        for i in range(len(sessions)):  # warm both workers
            view(i)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            views = list(pool.map(view, range(args.views)))
        wall = time.perf_counter() - started
        out(f"family confirmation page (/portal/junior/confirm/): {args.views} views in {wall:.1f} s = "
            f"{args.views / wall:.1f} req/s, {percentiles(views)} ({args.clients} clients, gunicorn 2 workers, "
            f"MariaDB + Redis; shared, loaded machine)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        config.write_text(original)
        _cleanup()


if __name__ == "__main__":
    main()
