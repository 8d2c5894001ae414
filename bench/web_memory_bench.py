"""Memory of the web workers under a mixed load (#17: a web worker stays <= 120 MB PSS).

On a MariaDB + Redis site with the demo city (`manage.py build_demo_site`):

    BJ_SITE=<site> BJ_HTTPS=false .venv/bin/python bench/web_memory_bench.py [--rounds 3] [--requests 80]

starts gunicorn as deployed (config/gunicorn.py, 2 workers) on a free local port, reads every
process's PSS, USS and RSS from /proc/<pid>/smaps_rollup once the workers answer, then drives
`--rounds` of a mixed load with `--clients` concurrent clients (the district reviewer's filtered
list, the parent API's read and save, the statistics page, a family's reprint from storage) and
reads them again. PSS divides each shared page among the processes that map it, so the workers'
median PSS is what one worker costs, and the sum over master and workers is what the server costs.
The reprints' PDFs are rendered first, in this process, into the site's file storage (as the print
worker would); the portal's and API's rate limits are lifted for the run and restored after.
`--config` runs another gunicorn settings file (e.g. one importing config/gunicorn.py and changing a
setting), to compare the two in interleaved runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import out, web_server

os.environ.setdefault("BJ_STAFF_2FA", "false")
CSRF = "benchcsrftoken0123456789abcdefgh"


def memory_kib(pid: int) -> dict:
    """PSS, USS (private pages) and RSS of one process, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {"pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"], "rss": fields["Rss"]}


def workers_of(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def snapshot(label: str, master: int) -> dict:
    workers = {pid: memory_kib(pid) for pid in workers_of(master)}
    whole = memory_kib(master)
    mib = {key: statistics.median(m[key] for m in workers.values()) / 1024 for key in ("pss", "uss", "rss")}
    total = (whole["pss"] + sum(m["pss"] for m in workers.values())) / 1024
    each = ", ".join(f"{m['pss'] / 1024:.0f}" for m in workers.values())
    out(f"{label:28s} worker PSS median {mib['pss']:6.1f} MiB (each: {each}), USS {mib['uss']:6.1f}, "
        f"RSS {mib['rss']:6.1f}; master PSS {whole['pss'] / 1024:5.1f}; all processes PSS {total:6.1f} MiB")
    return {"worker_pss": mib["pss"], "worker_uss": mib["uss"], "total_pss": total}


def printable_family():
    """An application with a family account whose form may be printed (the reprint's family)."""
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.rules.printing import check_can_print

    for app in Application.objects.filter(account__isnull=False).select_related("account").order_by("pk"):
        try:
            check_can_print(app)
        except Exception:  # noqa: BLE001, S112 - not printable: the next one
            continue
        return app
    raise SystemExit("no printable application with a family account: build the demo site first")


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=80, help="requests per page per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--config", default="config/gunicorn.py", help="gunicorn settings to compare")
    args = parser.parse_args()

    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from apps.bj_enrollment.choices import ApplicationState
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.scope import scope_of
    from apps.lowcode.printing import stored

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.mysql" or not settings.REDIS_URL:
        raise SystemExit("bench/web_memory_bench.py needs a MariaDB + Redis site (BJ_SITE)")
    User = get_user_model()
    reviewer, admin = User.objects.get(username="district_reviewer"), User.objects.get(username="city_admin")
    parent_app = Application.objects.filter(  # details may be saved until the application is submitted
        account__isnull=False, state=ApplicationState.REGISTERED).order_by("pk").first()
    printing_app = printable_family()
    with translation.override(settings.LANGUAGE_CODE):
        version = stored.version_of(printing_app)
        if stored.stored(version) is None:
            stored.render_and_store(version)

    cookies = {}
    for name, user in (("reviewer", reviewer), ("admin", admin), ("parent", parent_app.account),
                       ("printing", printing_app.account)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        cookies[name] = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
        if name == "parent":
            details = client.get("/api/v1/application/details").json().get("values", {})
    saves = itertools.count()
    changelist = reverse("admin:bj_enrollment_application_changelist")
    district = scope_of(reviewer).district_id
    json_headers = {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": "http://localhost/"}
    cases = [  # (what, method, path, session, body, headers)
        ("reviewer's list", "GET", f"{changelist}?district__id__exact={district}&state__exact=pre_admitted",
         "reviewer", None, {}),
        ("statistics, city", "GET", reverse("desk-statistics"), "admin", None, {}),
        ("statistics, district", "GET", reverse("desk-statistics"), "reviewer", None, {}),
        ("parent reads details", "GET", "/api/v1/application/details", "parent", None, {}),
        ("parent saves details", "PUT", "/api/v1/application/details", "parent",
         lambda: json.dumps({**details, "residence-residence_address": f"内存测试路{next(saves)}号"}), json_headers),
        ("reprint", "GET", reverse("portal:print"), "printing", None, {}),
    ]


    def call(session, case) -> None:
        label, method, path, who, body, headers = case
        response = session.request(method, base + path, data=body() if callable(body) else body,
                                   headers=headers, cookies=cookies[who], allow_redirects=False, timeout=60)
        expected = "application/pdf" if label == "reprint" else ""
        if response.status_code != 200 or expected not in response.headers.get("Content-Type", ""):
            raise SystemExit(f"{label} answered {response.status_code} {response.headers.get('Content-Type')}")

    with web_server(args.config) as (server, base):
        time.sleep(1)  # both workers up
        before = snapshot("after start-up", server.pid)

        def client_run(n: int) -> None:
            with requests.Session() as session:
                for case in itertools.islice(itertools.cycle(cases), n, n + args.requests // args.clients * len(cases)):
                    call(session, case)

        for round_number in range(args.rounds):
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(client_run, range(args.clients)))
            after = snapshot(f"after round {round_number + 1}/{args.rounds}", server.pid)
    out(f"web worker PSS (median of workers): {before['worker_pss']:.0f} MiB at start, "
        f"{after['worker_pss']:.0f} MiB after {args.rounds} rounds of {args.requests} requests per page; "
        f"all gunicorn processes {after['total_pss']:.0f} MiB")


if __name__ == "__main__":
    main()
