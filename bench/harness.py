"""What every script in bench/ shares, so each holds only its own measurement.

Importing it puts the project on `sys.path` and points Django at the site's settings (`BJ_SITE`
picks the site); the scripts still call `django.setup()` themselves, after parsing their arguments,
so `--help` answers without a database. `out` flushes each line, so a long run shows its figures as
they come; `summary` is the latency line the desk and print benchmarks print.
"""

from __future__ import annotations

import os
import statistics
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
