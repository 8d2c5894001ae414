"""What every script in bench/ shares, so each holds only its own measurement.

Importing it puts the project on `sys.path` and points Django at the site's settings (`BJ_SITE`
picks the site); the scripts still call `django.setup()` themselves, after parsing their arguments,
so `--help` answers without a database. `out` flushes each line, so a long run shows its figures as
they come; `summary` is the latency line the desk and print benchmarks print.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def summary(samples: list[float]) -> str:
    """p50 and p95 of `samples` (seconds) in milliseconds, with their count."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  (n={len(ordered)})"


def median_time(func, runs: int) -> tuple[float, object]:
    """The median wall time of `runs` calls of `func`, and what the last call returned."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


@contextlib.contextmanager
def web_server(config: str = "config/gunicorn.py"):
    """gunicorn as deployed (2 workers, staff second factor off for the bench's sessions) on a free
    local port, once it answers, with the portal's and API's rate limits lifted: yields the process
    and its base URL; stops it and restores the site's configuration after."""
    import requests

    site_config = ROOT / "sites" / os.environ.get("BJ_SITE", "demo") / "site_config.json"
    original = site_config.read_text()
    lifted = dict.fromkeys(("api_per_ip", "login_per_ip", "sms_per_ip", "register_per_ip"), "1000000/h")
    site_config.write_text(json.dumps({**json.loads(original), "portal_rate_limits": lifted}, indent=2))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BJ_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "BJ_STAFF_2FA": "false"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", config, "config.wsgi"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/portal/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.3)
        yield server, base
    finally:
        server.terminate()
        server.wait(30)
        site_config.write_text(original)
