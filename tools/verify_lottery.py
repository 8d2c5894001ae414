#!/usr/bin/env python3
"""Check a published school lottery (bj-lottery-1, bj-lottery-2): its commitments, and the re-run output.

Stand-alone on purpose: Python 3.8 or newer, standard library only, nothing from the platform.
It is a second, plainer implementation of docs/lottery.md (tuple keys, deferred acceptance in
rounds) so that it also cross-checks the engine instead of repeating it.

    python3 verify_lottery.py --input input.json --seed-file seed.txt --output output.json \\
        --input-commitment HEX --seed-commitment HEX [--result-hash HEX]

or `--commitments commitments.json` holding {"input_commitment", "seed_commitment", "result_hash"}.
Prints one line per check; exit status 0 when every check passes, 1 when any fails
(2 for a wrong command line).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import re
import sys

VERSION = "bj-lottery-1"
GROUPS_VERSION = "bj-lottery-2"  # bound groups: twins and multiples placed together (docs/lottery.md §14)
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
SEED = re.compile(r"[\x21-\x7e]{16,1024}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
INPUT_KEYS = {"algorithm", "label", "mode", "schools", "participants", "priorities", "groups"}


class Invalid(ValueError):
    """The published input or seed breaks a rule of the specification."""


def need(condition: object, message: str) -> None:
    if not condition:
        raise Invalid(message)


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- canonical input (docs/lottery.md §2) ------------------------------------------------------


def ident(value: object, what: str) -> str:
    need(isinstance(value, str) and IDENTIFIER.fullmatch(value), f"{what} {value!r} is not a valid identifier")
    return value  # type: ignore[return-value]


def as_list(value: object, what: str) -> list:
    need(isinstance(value, list), f"{what} must be a list")
    return value  # type: ignore[return-value]


def as_object(value: object, keys: set, what: str) -> dict:
    need(isinstance(value, dict) and set(value) <= keys, f"{what} must be an object with keys {sorted(keys)}")
    return value  # type: ignore[return-value]


def unique(values: list, what: str) -> None:
    need(len(set(values)) == len(values), f"a {what} appears twice")


def tiers_of(raw: object, what: str) -> list:
    tiers = [sorted(ident(code, "category code") for code in as_list(tier, what)) for tier in as_list(raw, what)]
    need(all(tiers), f"{what}: a tier is empty")
    unique([code for tier in tiers for code in tier], f"category code in {what}")
    return tiers


def normalise(data: object) -> dict:
    data = as_object(data, INPUT_KEYS, "the input")
    raw_groups = data.get("groups", [])
    version = data.get("algorithm", GROUPS_VERSION if raw_groups else VERSION)
    need(version in (VERSION, GROUPS_VERSION), f"this verifier implements {VERSION} and {GROUPS_VERSION} only")
    need(version == GROUPS_VERSION or raw_groups == [], f"{VERSION} has no groups")
    mode = data.get("mode")
    need(mode in ("zone", "preference"), "mode must be 'zone' or 'preference'")
    label = data.get("label", "")
    need(isinstance(label, str) and len(label) <= 200 and not CONTROL.search(label), "bad label")
    label.encode("utf-8")
    schools = []
    for school in as_list(data.get("schools"), "schools"):
        school = as_object(school, {"id", "seats"}, "a school")
        seats = school.get("seats")
        need(type(seats) is int and seats >= 0, "seats must be a whole number >= 0")
        schools.append({"id": ident(school.get("id"), "school id"), "seats": seats})
    need(schools, "no schools")
    schools.sort(key=lambda s: s["id"])
    unique([s["id"] for s in schools], "school id")
    known = {s["id"] for s in schools}
    people = []
    for person in as_list(data.get("participants"), "participants"):
        person = as_object(person, {"id", "preferences", "categories"}, "a participant")
        prefs = as_list(person.get("preferences", []), "preferences")
        need(all(isinstance(s, str) and s in known for s in prefs), "a preference names an unknown school")
        need(mode == "preference" or not prefs, "a zone lottery takes no preferences")
        unique(prefs, "preferred school")
        cats = sorted({ident(c, "category code") for c in as_list(person.get("categories", []), "categories")})
        people.append({"id": ident(person.get("id"), "participant id"), "preferences": list(prefs), "categories": cats})
    people.sort(key=lambda p: p["id"])
    unique([p["id"] for p in people], "participant id")
    raw = as_object(data.get("priorities", {}), {"default", "schools"}, "priorities")
    per_school = as_object(raw.get("schools", {}), known, "priorities.schools")
    need(mode == "preference" or not per_school, "a zone lottery uses only the default priorities")
    priorities = {
        "default": tiers_of(raw.get("default", []), "priorities.default"),
        "schools": {sid: tiers_of(tiers, sid) for sid, tiers in per_school.items()},
    }
    normalised = {
        "algorithm": version,
        "label": label,
        "mode": mode,
        "schools": schools,
        "participants": people,
        "priorities": priorities,
    }
    if version == GROUPS_VERSION:
        prefs = {p["id"]: p["preferences"] for p in people}
        groups = []
        for group in as_list(raw_groups, "groups"):
            members = sorted(ident(pid, "group member") for pid in as_list(group, "a group"))
            need(2 <= len(members) <= 6, "a group has 2 to 6 members")
            need(all(pid in prefs for pid in members), "a group member is not a participant")
            need(all(prefs[pid] == prefs[members[0]] for pid in members), "group members' preferences differ")
            groups.append(members)
        unique([pid for group in groups for pid in group], "group member")
        normalised["groups"] = sorted(groups)
    return normalised


# --- the draw (docs/lottery.md §3-5) -----------------------------------------------------------


def lottery_number(seed: str, participant_id: str) -> str:
    return sha256_hex(VERSION.encode() + b"\x00" + seed.encode("ascii") + b"\x00" + participant_id.encode())


def priority_class(categories: list, tiers: list) -> int:
    """Index of the first tier sharing a category with the participant; len(tiers) if none."""
    if not categories:
        return len(tiers)
    for index, tier in enumerate(tiers):
        if set(tier) & set(categories):
            return index
    return len(tiers)


def draw(inp: dict, seed: str) -> dict:
    """Recompute the whole output document from the normalised input and the seed."""
    need(SEED.fullmatch(seed), "the seed must be 16 to 1024 visible ASCII characters")
    if inp["algorithm"] == GROUPS_VERSION:
        return draw_groups(inp, seed)
    people = {p["id"]: p for p in inp["participants"]}
    number = {pid: lottery_number(seed, pid) for pid in people}
    ranked = sorted(people, key=lambda pid: (number[pid], pid))
    rank = {pid: index + 1 for index, pid in enumerate(ranked)}
    tiers = {s["id"]: inp["priorities"]["schools"].get(s["id"], inp["priorities"]["default"]) for s in inp["schools"]}

    def key(sid: str, pid: str) -> tuple:
        return (priority_class(people[pid]["categories"], tiers[sid]), number[pid], pid)

    if inp["mode"] == "zone":
        default = inp["priorities"]["default"]
        order = sorted(people, key=lambda pid: (priority_class(people[pid]["categories"], default), number[pid], pid))
        assigned = zone_fill(inp["schools"], order)
    else:
        assigned = deferred_acceptance(inp["schools"], people, key)
    admitted = {s["id"]: [] for s in inp["schools"]}
    for pid, sid in assigned.items():
        admitted[sid].append(pid)
    return {
        "algorithm": VERSION,
        "mode": inp["mode"],
        "input_commitment": sha256_hex(canonical_json(inp)),
        "seed_commitment": sha256_hex(seed.encode("ascii")),
        "participants": [participant_entry(pid, rank, number, assigned, people, inp["mode"]) for pid in ranked],
        "schools": [school_entry(school, admitted[school["id"]], key, rank) for school in inp["schools"]],
    }


def zone_fill(schools: list, order: list) -> dict:
    """In order, each participant takes a seat at the school with most seats left (ties: smaller id)."""
    heap = [(-s["seats"], s["id"]) for s in schools if s["seats"] > 0]
    heapq.heapify(heap)
    assigned = {}
    for pid in order:
        if not heap:
            break
        left, sid = heapq.heappop(heap)
        assigned[pid] = sid
        if left + 1 < 0:
            heapq.heappush(heap, (left + 1, sid))
    return assigned


def deferred_acceptance(schools: list, people: dict, key) -> dict:
    """Student-proposing deferred acceptance, textbook rounds: propose, keep the best, reject the rest."""
    seats = {s["id"]: s["seats"] for s in schools}
    held = {sid: [] for sid in seats}
    next_choice = dict.fromkeys(people, 0)
    free = list(people)
    while free:
        proposals = {}
        for pid in free:
            prefs = people[pid]["preferences"]
            if next_choice[pid] < len(prefs):
                sid = prefs[next_choice[pid]]
                next_choice[pid] += 1
                proposals.setdefault(sid, []).append((key(sid, pid), pid))
        free = []
        for sid, new in proposals.items():
            pool = sorted(held[sid] + new)
            held[sid] = pool[: seats[sid]]
            free.extend(pid for _, pid in pool[seats[sid] :])
    return {pid: sid for sid, pool in held.items() for _, pid in pool}


# --- bj-lottery-2: bound groups (docs/lottery.md §14) ----------------------------------------------


def group_number(seed: str, members: list) -> str:
    return sha256_hex(b"\x00".join(x.encode("ascii") for x in [GROUPS_VERSION, seed, *sorted(members)]))


def draw_groups(inp: dict, seed: str) -> dict:
    """Units (a group, or one participant) drawn with one number each and placed whole."""
    people = {p["id"]: p for p in inp["participants"]}
    in_group = {pid for group in inp["groups"] for pid in group}
    units = [tuple(group) for group in inp["groups"]] + [(pid,) for pid in people if pid not in in_group]
    number = {u: group_number(seed, list(u)) if len(u) > 1 else lottery_number(seed, u[0]) for u in units}
    ranked = sorted(units, key=lambda u: (number[u], u[0]))
    rank = {u: index + 1 for index, u in enumerate(ranked)}
    tiers = {s["id"]: inp["priorities"]["schools"].get(s["id"], inp["priorities"]["default"]) for s in inp["schools"]}

    def unit_class(u: tuple, chosen: list) -> int:
        return max(priority_class(people[pid]["categories"], chosen) for pid in u)

    def key(sid: str, u: tuple) -> tuple:
        return (unit_class(u, tiers[sid]), number[u], u[0])

    if inp["mode"] == "zone":
        default = inp["priorities"]["default"]
        order = sorted(units, key=lambda u: (unit_class(u, default), number[u], u[0]))
        placed = zone_fill_units(inp["schools"], order)
    else:
        placed = deferred_acceptance_units(inp["schools"], units, people, key)
    admitted = {s["id"]: [] for s in inp["schools"]}
    for u, sid in placed.items():
        admitted[sid].append(u)
    participants = []
    for u in ranked:
        sid = placed.get(u)
        choice = people[u[0]]["preferences"].index(sid) + 1 if sid is not None and inp["mode"] == "preference" else None
        for pid in u:
            participants.append({"id": pid, "rank": rank[u], "random": number[u], "school": sid, "choice": choice})
    schools = []
    for school in inp["schools"]:
        held = admitted[school["id"]]
        last = max(held, key=lambda u: key(school["id"], u)) if held else None
        cutoff = None if last is None else {"class": key(school["id"], last)[0], "rank": rank[last]}
        schools.append(
            {"id": school["id"], "seats": school["seats"], "assigned": sum(map(len, held)), "cutoff": cutoff}
        )
    return {
        "algorithm": GROUPS_VERSION,
        "mode": inp["mode"],
        "input_commitment": sha256_hex(canonical_json(inp)),
        "seed_commitment": sha256_hex(seed.encode("ascii")),
        "participants": participants,
        "schools": schools,
    }


def zone_fill_units(schools: list, order: list) -> dict:
    """In order, each unit takes seats at the school with most seats left among those with room for
    all its members (ties: smaller id); when no school has room the unit stays unassigned."""
    left = {s["id"]: s["seats"] for s in schools}
    placed = {}
    for u in order:
        room = [sid for sid in left if left[sid] >= len(u)]
        if room:
            sid = min(room, key=lambda sid: (-left[sid], sid))
            placed[u] = sid
            left[sid] -= len(u)
    return placed


def deferred_acceptance_units(schools: list, units: list, people: dict, key) -> dict:
    """Rounds: free units propose to their next choice; a school walks its held units and the new
    proposers best key first, keeps each that fits in the seats left, rejects the others."""
    seats = {s["id"]: s["seats"] for s in schools}
    held = {sid: [] for sid in seats}
    next_choice = dict.fromkeys(units, 0)
    free = list(units)
    while free:
        proposals = {}
        for u in free:
            prefs = people[u[0]]["preferences"]
            if next_choice[u] < len(prefs):
                sid = prefs[next_choice[u]]
                next_choice[u] += 1
                proposals.setdefault(sid, []).append(u)
        free = []
        for sid, new in proposals.items():
            left, kept = seats[sid], []
            for u in sorted(held[sid] + new, key=lambda u: key(sid, u)):
                if len(u) <= left:
                    kept.append(u)
                    left -= len(u)
                else:
                    free.append(u)
            held[sid] = kept
    return {u: sid for sid, kept in held.items() for u in kept}


def participant_entry(pid: str, rank: dict, number: dict, assigned: dict, people: dict, mode: str) -> dict:
    sid = assigned.get(pid)
    choice = people[pid]["preferences"].index(sid) + 1 if sid is not None and mode == "preference" else None
    return {"id": pid, "rank": rank[pid], "random": number[pid], "school": sid, "choice": choice}


def school_entry(school: dict, admitted: list, key, rank: dict) -> dict:
    last = max(admitted, key=lambda pid: key(school["id"], pid)) if admitted else None
    cutoff = None if last is None else {"class": key(school["id"], last)[0], "rank": rank[last]}
    return {"id": school["id"], "seats": school["seats"], "assigned": len(admitted), "cutoff": cutoff}


# --- checks --------------------------------------------------------------------------------------


def differences(expected: dict, published: object) -> str:
    """Say where the recomputed output and the published one part, so a mismatch can be traced."""
    if not isinstance(published, dict):
        return "the published output is not a JSON object"
    found = []
    for field in ("algorithm", "mode", "input_commitment", "seed_commitment"):
        if expected[field] != published.get(field):
            found.append(f"{field}: re-run gives {expected[field]!r}, published {published.get(field)!r}")
    for field in ("participants", "schools"):
        mine, theirs = expected[field], published.get(field)
        if not isinstance(theirs, list) or len(theirs) != len(mine):
            found.append(f"{field}: re-run gives {len(mine)} entries, published a different number")
            continue
        wrong = [index for index in range(len(mine)) if mine[index] != theirs[index]]
        if wrong:
            ours, published_entry = (canonical_json(x).decode() for x in (mine[wrong[0]], theirs[wrong[0]]))
            found.append(f"{len(wrong)} {field} entries differ, first: re-run {ours}, published {published_entry}")
    extra = sorted(set(published) - set(expected))
    if extra:
        found.append(f"unexpected keys in the published output: {extra}")
    return "; ".join(found) or "the outputs differ"


def verify(input_bytes: bytes, seed: str, output_bytes: bytes, published: dict) -> list:
    """Return (passed, name, detail) per check."""
    checks = []
    try:
        inp = normalise(json.loads(input_bytes.decode("utf-8")))
    except (ValueError, UnicodeDecodeError) as error:
        return [(False, "input", f"cannot read the input: {error}")]
    digest = sha256_hex(canonical_json(inp))
    expected = published["input_commitment"].lower()
    checks.append((digest == expected, "input commitment", f"sha256(canonical input) = {digest}, published {expected}"))
    digest = sha256_hex(seed.encode("utf-8"))
    expected = published["seed_commitment"].lower()
    checks.append((digest == expected, "seed commitment", f"sha256(seed) = {digest}, published {expected}"))
    try:
        output = json.loads(output_bytes.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        return [*checks, (False, "re-run", f"cannot read the published output: {error}")]
    try:
        rerun = draw(inp, seed)
    except Invalid as error:
        return [*checks, (False, "re-run", str(error))]
    same = canonical_json(rerun) == canonical_json(output)
    people = len(rerun["participants"])
    detail = f"re-running the draw reproduces the published output ({people} participants)"
    checks.append((same, "re-run", detail if same else differences(rerun, output)))
    if published.get("result_hash"):
        digest = sha256_hex(canonical_json(output))
        expected = published["result_hash"].lower()
        checks.append((digest == expected, "result hash", f"sha256(canonical output) = {digest}, published {expected}"))
    return checks


def checked_version(input_bytes: bytes) -> str:
    data = json.loads(input_bytes.decode("utf-8"))
    return data.get("algorithm") or (GROUPS_VERSION if data.get("groups") else VERSION)


def read_seed(args: argparse.Namespace) -> str:
    if args.seed is not None:
        return args.seed
    with open(args.seed_file, encoding="utf-8") as handle:
        return handle.read().rstrip("\r\n")


def published_commitments(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict:
    published = {}
    if args.commitments:
        with open(args.commitments, encoding="utf-8") as handle:
            published = json.load(handle)
    for name in ("input_commitment", "seed_commitment", "result_hash"):
        if getattr(args, name):
            published[name] = getattr(args, name)
    for name in ("input_commitment", "seed_commitment"):
        if not isinstance(published.get(name), str):
            parser.error(f"the published {name.replace('_', ' ')} is required")
    return published


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="published input JSON")
    parser.add_argument("--output", required=True, help="published output JSON")
    seed = parser.add_mutually_exclusive_group(required=True)
    seed.add_argument("--seed", help="the seed revealed at the ceremony")
    seed.add_argument("--seed-file", help="file holding the seed (a final line break is ignored)")
    parser.add_argument("--commitments", help="JSON file with input_commitment, seed_commitment, result_hash")
    parser.add_argument("--input-commitment", help="SHA-256 hex published before the draw")
    parser.add_argument("--seed-commitment", help="SHA-256 hex of the seed published before the draw")
    parser.add_argument("--result-hash", help="SHA-256 hex of the canonical output, if published")
    args = parser.parse_args(argv)
    published = published_commitments(args, parser)
    with open(args.input, "rb") as handle:
        input_bytes = handle.read()
    with open(args.output, "rb") as handle:
        output_bytes = handle.read()
    checks = verify(input_bytes, read_seed(args), output_bytes, published)
    write = sys.stdout.write
    for passed, name, detail in checks:
        write(f"{'OK  ' if passed else 'FAIL'}  {name}: {detail}\n")
    failed = sum(1 for passed, _, _ in checks if not passed)
    if failed:
        write(f"NOT VERIFIED: {failed} of {len(checks)} checks failed\n")
        return 1
    write(f"VERIFIED: all {len(checks)} checks passed ({checked_version(input_bytes)})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
