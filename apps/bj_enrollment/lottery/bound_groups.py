"""The draw of `bj-lottery-2` (docs/lottery.md §14): twins and multiples bound into one unit (多胞胎同校).

Standard library only, like the engine that calls it. Every participant outside a group is a unit
of one with its bj-lottery-1 number; a group is one unit with one number derived from the seed and
its members. Units are placed whole, only where seats remain for all members, so members are never
split. With no groups this reduces step for step to bj-lottery-1 (same numbers, ranks and seats).
"""

from __future__ import annotations

from apps.bj_enrollment.lottery import engine


def run(normalised: dict, seed: str, commitment: str) -> engine.Result:
    people = {person["id"]: person for person in normalised["participants"]}
    grouped = {pid for group in normalised["groups"] for pid in group}
    singles = [pid for pid in people if pid not in grouped]
    units = [*normalised["groups"], *([pid] for pid in singles)]
    numbers = [*(engine.group_number(seed, group) for group in normalised["groups"]),
               *engine.lottery_numbers(seed, singles)]
    order = sorted(range(len(units)), key=lambda u: (numbers[u], units[u][0]))
    units = [units[u] for u in order]  # from here on a unit's index is its 0-based rank
    numbers = [numbers[u] for u in order]
    schools = normalised["schools"]
    draw = _zone if normalised["mode"] == engine.ZONE else _preference
    school_of, choice_of, keys = draw(normalised, people, units)
    return _result(normalised["mode"], commitment, seed, units, numbers, schools, school_of, choice_of, keys)


def _classes(people: dict, units: list[list[str]], tiers: list[list[str]]) -> list[int]:
    """A unit's priority class: its worst member's (§14.3), so binding never lends a priority."""
    tier_map = engine._tier_map(tiers)
    return [
        max(engine._priority_class(people[pid]["categories"], tier_map, len(tiers)) for pid in unit) for unit in units
    ]


def _zone(normalised: dict, people: dict, units: list[list[str]]):
    """In (class, rank) order each unit takes seats at the school with most left among those with
    room for all its members (ties: smaller id); with no such school it stays unassigned whole."""
    n = len(units)
    classes = _classes(people, units, normalised["priorities"]["default"])
    keys = [classes[u] * n + u for u in range(n)]
    left = [school["seats"] for school in normalised["schools"]]
    school_of = [-1] * n
    for key in sorted(keys):
        u = key % n
        size = len(units[u])
        best = -1
        for s, seats in enumerate(left):
            if seats >= size and (best < 0 or seats > left[best]):
                best = s
        if best >= 0:
            school_of[u] = best
            left[best] -= size
    return school_of, [None] * n, keys


def _preference(normalised: dict, people: dict, units: list[list[str]]):
    """Deferred acceptance in rounds (§14.4): every free unit proposes to its next school; a school
    goes through the units it holds and its new proposers best key first and keeps each one that
    still fits in its seats, rejecting the others."""
    n = len(units)
    schools = normalised["schools"]
    index = {school["id"]: s for s, school in enumerate(schools)}
    default, overrides = normalised["priorities"]["default"], normalised["priorities"]["schools"]
    per_tiers: dict[tuple, list[int]] = {}
    keys_at = []  # per school: key of every unit, computed once per distinct tier list
    for school in schools:
        tiers = overrides.get(school["id"], default)
        marker = tuple(map(tuple, tiers))
        if marker not in per_tiers:
            per_tiers[marker] = [c * n + u for u, c in enumerate(_classes(people, units, tiers))]
        keys_at.append(per_tiers[marker])
    prefs = [[index[sid] for sid in people[unit[0]]["preferences"]] for unit in units]
    size = [len(unit) for unit in units]
    held: list[list[int]] = [[] for _ in schools]  # per school: keys held, ascending
    next_choice = [0] * n
    free = list(range(n))
    while free:
        proposals: dict[int, list[int]] = {}
        for u in free:
            if next_choice[u] < len(prefs[u]):
                s = prefs[u][next_choice[u]]
                next_choice[u] += 1
                proposals.setdefault(s, []).append(keys_at[s][u])
        free = []
        for s, new in proposals.items():
            room = schools[s]["seats"]
            kept = []
            for key in sorted(held[s] + new):
                u = key % n
                if size[u] <= room:
                    kept.append(key)
                    room -= size[u]
                else:
                    free.append(u)
            held[s] = kept
    school_of = [-1] * n
    for s, kept in enumerate(held):
        for key in kept:
            school_of[key % n] = s
    choice_of = [next_choice[u] if school_of[u] >= 0 else None for u in range(n)]
    return school_of, choice_of, [key for kept in held for key in kept]


def _result(mode, commitment, seed, units, numbers, schools, school_of, choice_of, keys) -> engine.Result:
    n = len(units)
    placements = tuple(
        engine.Placement(
            participant_id=pid,
            rank=u + 1,
            random=numbers[u],
            school_id=schools[school_of[u]]["id"] if school_of[u] >= 0 else None,
            choice=choice_of[u],
        )
        for u in range(n)
        for pid in units[u]
    )
    assigned = [0] * len(schools)
    worst = [-1] * len(schools)
    for key in keys:
        u = key % n
        s = school_of[u]
        if s >= 0:
            assigned[s] += len(units[u])
            worst[s] = max(worst[s], key)
    outcomes = tuple(
        engine.SchoolOutcome(
            school_id=school["id"],
            seats=school["seats"],
            assigned=assigned[s],
            cutoff=(worst[s] // n, worst[s] % n + 1) if worst[s] >= 0 else None,
        )
        for s, school in enumerate(schools)
    )
    seed_hash = engine.seed_commitment(seed)
    draft = engine.Result(engine.GROUPS_VERSION, mode, commitment, seed_hash, placements, outcomes, b"")
    output = engine.canonical_json(engine.result_document(draft))
    hashed = engine.sha256_hex(output)
    return engine.Result(engine.GROUPS_VERSION, mode, commitment, seed_hash, placements, outcomes, output, hashed)
