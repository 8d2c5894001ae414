"""Benchmark of the lottery engine on a city-sized preference lottery (R41).

300,000 participants with 10 preferences each over 1,000 schools, popularity skewed so that
popular schools reject many proposals; 5 % of the children hold a priority category and 50
schools have their own priority order. Prints the median wall time of 3 runs and the peak
memory (tracemalloc for the run itself, ru_maxrss for the whole process).

    .venv/bin/python bench/lottery_bench.py [--participants N] [--schools S] [--preferences K]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.bj_enrollment.lottery import engine  # noqa: E402

SEED = "bench-seed-3f1c9a0b7d2e4c6a8b0f1e3d5c7a9b2d"
CATEGORIES = ("martyr", "military", "sibling", "model_worker")


def make_input(participants: int, schools: int, preferences: int, rng: random.Random) -> dict:
    """A deterministic synthetic input: the generator, not the engine, uses `random`."""
    school_ids = [f"S{index:04d}" for index in range(schools)]
    seats = {sid: rng.randint(150, 400) for sid in school_ids}  # noqa: S311
    weights = [1.0 / (index + 10) for index in range(schools)]  # a few schools are in demand
    people = []
    for index in range(participants):
        chosen: dict[str, None] = {}
        while len(chosen) < preferences:
            for sid in rng.choices(school_ids, weights, k=preferences - len(chosen)):
                chosen.setdefault(sid)
        person = {"id": hashlib.sha256(f"child-{index}".encode()).hexdigest(), "preferences": list(chosen)}
        if rng.random() < 0.05:  # noqa: S311
            person["categories"] = [rng.choice(CATEGORIES)]  # noqa: S311
        people.append(person)
    overrides = {sid: [["sibling"], ["martyr", "military"]] for sid in rng.sample(school_ids, min(50, schools))}
    return {
        "label": "bench",
        "mode": "preference",
        "schools": [{"id": sid, "seats": seats[sid]} for sid in school_ids],
        "participants": people,
        "priorities": {"default": [["martyr"], ["military"]], "schools": overrides},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300_000)
    parser.add_argument("--schools", type=int, default=1_000)
    parser.add_argument("--preferences", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--twins", type=float, default=0.0, help="percent of children bound in twin pairs (v2)")
    args = parser.parse_args()

    data = make_input(args.participants, args.schools, args.preferences, random.Random(20250620))  # noqa: S311
    if args.twins:  # bj-lottery-2 (docs/lottery.md §14): neighbours bound in pairs, sharing preferences
        people = data["participants"]
        pairs = int(len(people) * args.twins / 200)
        twins = list(zip(people[: 2 * pairs : 2], people[1 : 2 * pairs : 2], strict=True))
        for a, b in twins:
            b["preferences"] = list(a["preferences"])
        data["groups"] = [[a["id"], b["id"]] for a, b in twins]
    out = sys.stdout.write
    out(
        f"input: {args.participants:,} participants x {args.preferences} preferences, "
        f"{args.schools:,} schools, {sum(s['seats'] for s in data['schools']):,} seats\n"
    )
    times, hashes = [], set()
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = engine.run(data, SEED)
        times.append(time.perf_counter() - started)
        hashes.add(result.result_hash)
    assigned = sum(1 for p in result.placements if p.school_id is not None)
    first = sum(1 for p in result.placements if p.choice == 1)
    out(f"runs: {', '.join(f'{t:.2f}s' for t in times)}; median wall time {statistics.median(times):.2f}s\n")
    out(
        f"assigned {assigned:,}, unassigned {args.participants - assigned:,}, first choice {first:,}; "
        f"result hash {result.result_hash} ({'stable' if len(hashes) == 1 else 'NOT STABLE'} across runs)\n"
    )
    del result
    tracemalloc.start()
    engine.run(data, SEED)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out(
        f"peak memory: {peak / 2**20:.0f} MiB allocated during one run (tracemalloc), "
        f"process max RSS {maxrss_kib / 2**10:.0f} MiB (including the generated input)\n"
    )
    return 0 if len(hashes) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
