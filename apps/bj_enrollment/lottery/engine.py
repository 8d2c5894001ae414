"""The lottery engine (R35 multi-school zones, R36 verifiable draw, R41 preference lottery).

Standard library only, no Django: it runs in a worker, and anyone can re-implement it from
docs/lottery.md and check a published draw with tools/verify_lottery.py. Everything that decides
a seat comes from the published input and seed; nothing here reads a clock, an account or `random`.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

ALGORITHM_VERSION = "bj-lottery-1"
# bj-lottery-2 (docs/lottery.md §14): bound groups (多胞胎同校), twins and multiples drawn as one unit.
# An input without groups is a bj-lottery-1 input unless it names bj-lottery-2 itself.
GROUPS_VERSION = "bj-lottery-2"
ALGORITHMS = (ALGORITHM_VERSION, GROUPS_VERSION)
GROUP_MAX = 6
ZONE = "zone"
PREFERENCE = "preference"
MODES = (ZONE, PREFERENCE)

# Identifiers stay in a small ASCII alphabet so that sorting and JSON escaping cannot differ
# between languages. Participant ids come from the caller, derived from the child's identity
# (e.g. an HMAC of the ID number), never from the account: the engine treats them as opaque.
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# A seed is visible ASCII, long enough that its commitment cannot be enumerated (lessons.md).
SEED = re.compile(r"[\x21-\x7e]{16,1024}")
LABEL_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_INPUT_KEYS = {"algorithm", "label", "mode", "schools", "participants", "priorities", "groups"}


class LotteryInputError(ValueError):
    """The input or seed breaks a rule of docs/lottery.md; nothing is drawn from it."""


# ---------------------------------------------------------------------------------------------
# Canonical input and commitments


def canonical_json(value: object) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (docs/lottery.md §4)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_input(data: Mapping) -> dict:
    """Validate the input and give it its one canonical shape, so equal draws hash equally.

    Defaults are written out, lists that are sets (categories, tiers, schools, participants)
    are sorted, preferences keep their order. Unknown keys are refused rather than dropped,
    so nothing in a published file can escape the commitment.
    """
    if not isinstance(data, Mapping):
        raise LotteryInputError("the input must be a JSON object")
    unknown = set(data) - _INPUT_KEYS
    if unknown:
        raise LotteryInputError(f"unknown input keys: {sorted(unknown)}")
    groups = data.get("groups", [])
    algorithm = data.get("algorithm", GROUPS_VERSION if groups else ALGORITHM_VERSION)
    if algorithm not in ALGORITHMS:
        raise LotteryInputError(f"this engine implements {ALGORITHMS}, the input asks for {algorithm!r}")
    if algorithm == ALGORITHM_VERSION and groups != []:
        raise LotteryInputError(f"{ALGORITHM_VERSION} has no groups: bound groups need {GROUPS_VERSION}")
    mode = data.get("mode")
    if mode not in MODES:
        raise LotteryInputError(f"mode must be one of {MODES}")
    schools = _normalise_schools(data.get("schools"))
    school_ids = {school["id"] for school in schools}
    normalised = {
        "algorithm": algorithm,
        "label": _normalise_label(data.get("label", "")),
        "mode": mode,
        "schools": schools,
        "participants": _normalise_participants(data.get("participants"), school_ids, mode),
        "priorities": _normalise_priorities(data.get("priorities", {}), school_ids, mode),
    }
    if algorithm == GROUPS_VERSION:
        normalised["groups"] = _normalise_groups(groups, normalised["participants"])
    return normalised


def _identifier(value: object, what: str) -> str:
    if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
        raise LotteryInputError(f"{what} {value!r} must match {IDENTIFIER.pattern}")
    return value


def _list(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise LotteryInputError(f"{what} must be a list")
    return value


def _object(value: object, keys: set[str], what: str) -> Mapping:
    if not (type(value) is dict or isinstance(value, Mapping)) or not value.keys() <= keys:
        raise LotteryInputError(f"{what} must be an object with keys among {sorted(keys)}")
    return value


def _normalise_label(label: object) -> str:
    if not isinstance(label, str) or len(label) > LABEL_MAX or _CONTROL.search(label):
        raise LotteryInputError(f"label must be text of at most {LABEL_MAX} characters without control characters")
    try:
        label.encode("utf-8")
    except UnicodeEncodeError:
        raise LotteryInputError("label is not valid Unicode text") from None
    return label


def _normalise_schools(raw: object) -> list[dict]:
    schools = []
    for school in _list(raw, "schools"):
        school = _object(school, {"id", "seats"}, "a school")
        seats = school.get("seats")
        if type(seats) is not int or seats < 0:
            raise LotteryInputError(f"school {school.get('id')!r}: seats must be a whole number >= 0")
        schools.append({"id": _identifier(school.get("id"), "school id"), "seats": seats})
    schools.sort(key=lambda school: school["id"])
    _refuse_duplicates([school["id"] for school in schools], "school id")
    if not schools:
        raise LotteryInputError("a lottery needs at least one school")
    return schools


def _normalise_participants(raw: object, school_ids: set[str], mode: str) -> list[dict]:
    participants = []
    keys = {"id", "preferences", "categories"}
    for person in _list(raw, "participants"):
        person = _object(person, keys, "a participant")
        pid = _identifier(person.get("id"), "participant id")
        preferences = _list(person.get("preferences", []), f"preferences of {pid}")
        if preferences:
            _check_preferences(pid, preferences, school_ids, mode)
        categories = _list(person.get("categories", []), f"categories of {pid}")
        if categories:
            categories = sorted({_identifier(code, "category code") for code in categories})
        participants.append({"id": pid, "preferences": preferences[:], "categories": categories[:]})
    participants.sort(key=lambda person: person["id"])
    _refuse_duplicates([person["id"] for person in participants], "participant id")
    return participants


def _check_preferences(pid: str, preferences: list, school_ids: set[str], mode: str) -> None:
    if mode == ZONE:
        raise LotteryInputError(f"participant {pid}: a zone lottery takes no preferences")
    try:
        chosen = set(preferences)
    except TypeError:
        raise LotteryInputError(f"participant {pid}: preferences must be school ids") from None
    if not chosen <= school_ids:
        unknown = sorted(str(sid) for sid in chosen - school_ids)
        raise LotteryInputError(f"participant {pid}: unknown schools {unknown}")
    if len(chosen) != len(preferences):
        raise LotteryInputError(f"participant {pid}: a school appears twice in the preferences")


def _normalise_priorities(raw: object, school_ids: set[str], mode: str) -> dict:
    raw = _object(raw, {"default", "schools"}, "priorities")
    per_school = _object(raw.get("schools", {}), school_ids, "priorities.schools (keyed by known school ids)")
    if mode == ZONE and per_school:
        raise LotteryInputError("a zone lottery uses only the default priorities")
    return {
        "default": _normalise_tiers(raw.get("default", []), "priorities.default"),
        "schools": {sid: _normalise_tiers(tiers, f"priorities of {sid}") for sid, tiers in per_school.items()},
    }


def _normalise_tiers(raw: object, what: str) -> list[list[str]]:
    tiers = []
    for tier in _list(raw, what):
        codes = sorted(_identifier(code, "category code") for code in _list(tier, f"a tier of {what}"))
        if not codes:
            raise LotteryInputError(f"{what}: a tier is empty")
        tiers.append(codes)
    _refuse_duplicates(sorted(code for tier in tiers for code in tier), f"category code in {what}")
    return tiers


def _normalise_groups(raw: object, participants: list[dict]) -> list[list[str]]:
    """Bound groups (§14.1): 2 to GROUP_MAX known participants each, nobody in two groups, members
    with the same preferences (the group proposes as one). Each group sorted, groups sorted."""
    preferences = {person["id"]: person["preferences"] for person in participants}
    groups = []
    for group in _list(raw, "groups"):
        members = sorted(_identifier(pid, "group member") for pid in _list(group, "a group"))
        if not 2 <= len(members) <= GROUP_MAX:
            raise LotteryInputError(f"a group has 2 to {GROUP_MAX} members, not {len(members)}")
        unknown = [pid for pid in members if pid not in preferences]
        if unknown:
            raise LotteryInputError(f"group members are not participants: {unknown}")
        if any(preferences[pid] != preferences[members[0]] for pid in members):
            raise LotteryInputError(f"the members of group {members} must have the same preferences")
        groups.append(members)
    groups.sort()
    _refuse_duplicates(sorted(pid for group in groups for pid in group), "group member")
    return groups


def _refuse_duplicates(sorted_values: list[str], what: str) -> None:
    for before, after in zip(sorted_values, sorted_values[1:], strict=False):
        if before == after:
            raise LotteryInputError(f"{what} {before!r} appears twice")


def canonical_input(data: Mapping) -> bytes:
    """The exact bytes whose SHA-256 is published before the draw."""
    return canonical_json(normalise_input(data))


def input_commitment(data: Mapping) -> str:
    return sha256_hex(canonical_input(data))


def check_seed(seed: object) -> str:
    if not isinstance(seed, str) or not SEED.fullmatch(seed):
        raise LotteryInputError("the seed must be 16 to 1024 visible ASCII characters (no spaces)")
    return seed


def seed_commitment(seed: str) -> str:
    """Published before the draw; the ceremony's seed must hash to it afterwards."""
    return sha256_hex(check_seed(seed).encode("ascii"))


def lottery_numbers(seed: str, participant_ids: Iterable[str]) -> list[str]:
    """SHA-256(version 0x00 seed 0x00 id) in hex, per id: the child's number, whatever else is drawn.

    It depends only on the seed and the child-derived id, so re-registering, the order of the
    list and the other participants cannot change it (lessons.md, the NYC restart problem).
    """
    prefix = hashlib.sha256(ALGORITHM_VERSION.encode("ascii") + b"\x00" + check_seed(seed).encode("ascii") + b"\x00")
    numbers = []
    for pid in participant_ids:
        digest = prefix.copy()
        digest.update(pid.encode("ascii"))
        numbers.append(digest.hexdigest())
    return numbers


def group_number(seed: str, members: Sequence[str]) -> str:
    """bj-lottery-2: SHA-256(version 0x00 seed 0x00 id1 0x00 id2 ...) over the sorted members, one
    number for the whole group; it depends on the seed and the members only (§14.2)."""
    material = [GROUPS_VERSION, check_seed(seed), *sorted(members)]
    return sha256_hex(b"\x00".join(part.encode("ascii") for part in material))


# ---------------------------------------------------------------------------------------------
# Result


class Placement(NamedTuple):
    participant_id: str
    rank: int  # 1-based position when everyone is sorted by (random, id)
    random: str  # 64 lowercase hex digits
    school_id: str | None  # None: explicitly unassigned
    choice: int | None  # 1-based position of school_id in the preferences (preference mode)


class SchoolOutcome(NamedTuple):
    school_id: str
    seats: int
    assigned: int
    cutoff: tuple[int, int] | None  # (priority class, rank) of the last admitted, None if nobody


@dataclass(frozen=True)
class Result:
    algorithm: str
    mode: str
    input_commitment: str
    seed_commitment: str
    placements: tuple[Placement, ...]  # in rank order
    schools: tuple[SchoolOutcome, ...]  # in school id order
    output: bytes = field(repr=False)  # canonical JSON of document(), the published output file
    result_hash: str = ""

    def document(self) -> dict:
        return result_document(self)

    def assignment(self) -> dict[str, str | None]:
        return {p.participant_id: p.school_id for p in self.placements}


def result_document(result: Result) -> dict:
    """The published output (docs/lottery.md §8); its canonical JSON hashes to the result hash."""
    return {
        "algorithm": result.algorithm,
        "mode": result.mode,
        "input_commitment": result.input_commitment,
        "seed_commitment": result.seed_commitment,
        "participants": [
            {
                "id": p.participant_id,
                "rank": p.rank,
                "random": p.random,
                "school": p.school_id,
                "choice": p.choice,
            }
            for p in result.placements
        ],
        "schools": [
            {
                "id": s.school_id,
                "seats": s.seats,
                "assigned": s.assigned,
                "cutoff": None if s.cutoff is None else {"class": s.cutoff[0], "rank": s.cutoff[1]},
            }
            for s in result.schools
        ],
    }


# ---------------------------------------------------------------------------------------------
# The draw


@contextmanager
def _no_cycle_collection():
    """Pause the cyclic GC: a city-wide draw makes millions of acyclic objects, and the collector
    would otherwise rescan them again and again (about a third of the run time at 300,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run(data: Mapping, seed: str) -> Result:
    """Normalise, commit, draw. Same input and seed give the same bytes on any machine."""
    with _no_cycle_collection():
        return _run(data, seed)


def _run(data: Mapping, seed: str) -> Result:
    normalised = normalise_input(data)
    commitment = sha256_hex(canonical_json(normalised))
    if normalised["algorithm"] == GROUPS_VERSION:
        from apps.bj_enrollment.lottery import bound_groups

        return bound_groups.run(normalised, seed, commitment)
    people = normalised["participants"]
    ids = [person["id"] for person in people]
    numbers = lottery_numbers(seed, ids)
    order = _rank_order(ids, numbers)  # rank r -> input index
    mode, schools = normalised["mode"], normalised["schools"]
    draw = _zone_draw if mode == ZONE else _preference_draw
    school_of, choice_of, keys = draw(normalised, order)
    del normalised, people  # a 300,000-child copy of the input: free it before the output is built
    return _result(mode, commitment, seed, ids, numbers, order, schools, school_of, choice_of, keys)


def _rank_order(ids: list[str], numbers: list[str]) -> list[int]:
    """Input indices sorted by (number, id); ids only matter for equal numbers, never seen in practice."""
    order = sorted(range(len(ids)), key=numbers.__getitem__)
    if any(numbers[a] == numbers[b] for a, b in zip(order, order[1:], strict=False)):
        order.sort(key=lambda i: (numbers[i], ids[i]))
    return order


def _tier_map(tiers: Sequence[Sequence[str]]) -> dict[str, int]:
    return {code: index for index, tier in enumerate(tiers) for code in tier}


def _priority_class(categories: Sequence[str], tier_map: Mapping[str, int], no_priority: int) -> int:
    """Index of the best tier holding one of the categories; len(tiers) when none does."""
    return min((tier_map[code] for code in categories if code in tier_map), default=no_priority)


def _zone_draw(normalised: dict, order: list[int]) -> tuple[list[int], list[int | None], list[int]]:
    """Multi-school zone: in (priority class, rank) order, each takes a seat where most remain.

    Ties go to the smaller school id. Taking the school with most seats left keeps schools evenly
    filled when seats outnumber children, and the seat depends on the place in the order only.
    """
    people = normalised["participants"]
    n = len(order)
    tiers = normalised["priorities"]["default"]
    tier_map = _tier_map(tiers)
    keys = [_priority_class(people[i]["categories"], tier_map, len(tiers)) * n + r for r, i in enumerate(order)]
    heap = [(-school["seats"], index) for index, school in enumerate(normalised["schools"]) if school["seats"]]
    heapq.heapify(heap)
    school_of = [-1] * n
    for key in sorted(keys):
        if not heap:
            break
        remaining, index = heap[0]
        school_of[key % n] = index
        if remaining == -1:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (remaining + 1, index))
    return school_of, [None] * n, keys


def _preference_draw(normalised: dict, order: list[int]) -> tuple[list[int], list[int | None], list]:
    """Student-proposing deferred acceptance with single tie-breaking.

    School s ranks participant r by key = class_s(r) * n + r (r = 0-based rank), i.e. by
    (priority class, lottery number). Each school keeps a max-heap of the keys it holds, so a
    proposal costs O(log seats); every participant proposes at most once per preference.
    """
    people = normalised["participants"]
    n = len(order)
    schools = normalised["schools"]
    school_index = {school["id"]: index for index, school in enumerate(schools)}
    default = normalised["priorities"]["default"]
    overrides = normalised["priorities"]["schools"]
    tiers = [overrides.get(school["id"], default) for school in schools]
    tier_maps = [_tier_map(t) for t in tiers]
    plain_key = [len(t) * n for t in tiers]  # key offset of a participant without categories
    capacity = [school["seats"] for school in schools]
    prefs = [[school_index[sid] for sid in people[i]["preferences"]] for i in order]
    cats = [people[i]["categories"] for i in order]

    held: list[list[int]] = [[] for _ in schools]  # per school: heap of -key
    next_choice = [0] * n
    school_of = [-1] * n
    free = list(range(n - 1, -1, -1))  # best ranks propose first: fewer rejections
    while free:
        r = free.pop()
        mine = prefs[r]
        k = next_choice[r]
        while k < len(mine):
            s = mine[k]
            k += 1
            seats = capacity[s]
            if not seats:
                continue
            key = r + (plain_key[s] if not cats[r] else _priority_class(cats[r], tier_maps[s], len(tiers[s])) * n)
            heap = held[s]
            if len(heap) < seats:
                heapq.heappush(heap, -key)
            elif -heap[0] > key:
                loser = -heapq.heapreplace(heap, -key) % n
                school_of[loser] = -1
                free.append(loser)
            else:
                continue
            school_of[r] = s
            break
        next_choice[r] = k
    choice_of = [next_choice[r] if school_of[r] >= 0 else None for r in range(n)]
    return school_of, choice_of, held


def _result(mode, commitment, seed, ids, numbers, order, schools, school_of, choice_of, keys) -> Result:
    n = len(order)
    placements = tuple(
        Placement(
            participant_id=ids[i],
            rank=r + 1,
            random=numbers[i],
            school_id=schools[school_of[r]]["id"] if school_of[r] >= 0 else None,
            choice=choice_of[r],
        )
        for r, i in enumerate(order)
    )
    assigned = [0] * len(schools)
    worst = [-1] * len(schools)
    if mode == ZONE:
        for r, s in enumerate(school_of):
            if s >= 0:
                assigned[s] += 1
                worst[s] = max(worst[s], keys[r])
    else:
        for s, heap in enumerate(keys):
            assigned[s] = len(heap)
            worst[s] = -heap[0] if heap else -1
    outcomes = tuple(
        SchoolOutcome(
            school_id=school["id"],
            seats=school["seats"],
            assigned=assigned[s],
            cutoff=(worst[s] // n, worst[s] % n + 1) if worst[s] >= 0 else None,
        )
        for s, school in enumerate(schools)
    )
    draft = Result(ALGORITHM_VERSION, mode, commitment, seed_commitment(seed), placements, outcomes, b"")
    output = canonical_json(result_document(draft))
    return Result(
        draft.algorithm,
        draft.mode,
        commitment,
        draft.seed_commitment,
        placements,
        outcomes,
        output,
        sha256_hex(output),
    )
