"""The lottery engine on cases whose answer is known by hand (R35, R36, R41, docs/lottery.md)."""

import hashlib
import json
from pathlib import Path

import pytest

from apps.bj_enrollment.lottery import engine
from apps.bj_enrollment.lottery.engine import LotteryInputError

SEED = "2025-06-20-haidian-ceremony-7f3a9c"
DOC = Path(__file__).resolve().parents[3] / "docs" / "lottery.md"

# The worked examples of docs/lottery.md §8; the hashes below are printed there too.
PREFERENCE_EXAMPLE = {
    "label": "示例：海淀 2025 小升初派位",
    "mode": "preference",
    "schools": [{"id": "C3", "seats": 1}, {"id": "A1", "seats": 1}, {"id": "B2", "seats": 2}],
    "participants": [
        {"id": "c05"},
        {"id": "c01", "preferences": ["A1", "B2"], "categories": ["sibling"]},
        {"id": "c02", "preferences": ["A1", "C3"]},
        {"id": "c03", "preferences": ["A1", "B2", "C3"], "categories": ["martyr"]},
        {"id": "c04", "preferences": ["B2"]},
    ],
    "priorities": {"default": [["martyr"]], "schools": {"A1": [["sibling"], ["martyr"]]}},
}
ZONE_EXAMPLE = {
    "label": "示例：多校划片 7",
    "mode": "zone",
    "schools": [{"id": "A1", "seats": 2}, {"id": "B2", "seats": 1}],
    "participants": [
        {"id": "c01", "categories": ["martyr"]},
        {"id": "c02"},
        {"id": "c03"},
        {"id": "c04"},
        {"id": "c05"},
    ],
    "priorities": {"default": [["martyr"]]},
}
# Computed independently of Python: printf 'bj-lottery-1\000%s\000%s' "$SEED" c01 | sha256sum
NUMBERS = {
    "c01": "ab092055ac853253f888e5cde8b6e0088115c54b23e0a2cb88885a1e03cef0e5",
    "c02": "a0a3449f0a1ffa5bdd5015318e2328195f7a6dbd2095ae490186a81a4c8492a4",
    "c03": "6287a3ad57519b11969cb12e4658aee8b236793cc98d66e2021706c72e8cffbf",
    "c04": "4103dac579a9c77aafb63a00525edb1724313072f5194888dc4044ec75503758",
    "c05": "61476f6fc4df1262c29cce15eda8b07c1644756ef3b1abb042f615673f26dc41",
}


def strict_priorities(order_by_school: dict[str, list[str]]) -> tuple[dict, dict[str, list[str]]]:
    """Textbook school priority lists as engine configuration: one category per student, one tier each."""
    categories = {student: [f"is-{student}"] for order in order_by_school.values() for student in order}
    tiers = {school: [[f"is-{student}"] for student in order] for school, order in order_by_school.items()}
    return {"default": [], "schools": tiers}, categories


def textbook(preferences: dict[str, list[str]], priorities: dict[str, list[str]], seats=None) -> dict:
    config, categories = strict_priorities(priorities)
    seats = seats or {}
    return {
        "mode": "preference",
        "schools": [{"id": school, "seats": seats.get(school, 1)} for school in priorities],
        "participants": [
            {"id": student, "preferences": prefs, "categories": categories[student]}
            for student, prefs in preferences.items()
        ],
        "priorities": config,
    }


# --- randomness and commitments ------------------------------------------------------------


def test_lottery_number_is_sha256_of_version_seed_and_id():
    assert engine.lottery_numbers(SEED, list(NUMBERS)) == list(NUMBERS.values())


def test_seed_commitment_is_sha256_of_the_seed_text():
    # printf '2025-06-20-haidian-ceremony-7f3a9c' | sha256sum
    assert engine.seed_commitment(SEED) == "f84951269595b5ea1a2e4f40e6710650e037c23e2757de9cfa3459669f69d855"


def test_a_childs_number_does_not_depend_on_the_other_participants():
    alone = engine.run({**ZONE_EXAMPLE, "participants": [{"id": "c03"}]}, SEED)
    assert alone.placements[0].random == NUMBERS["c03"]
    full = engine.run(ZONE_EXAMPLE, SEED)
    assert {p.participant_id: p.random for p in full.placements} == NUMBERS


def test_canonical_input_is_sorted_compact_utf8_with_defaults_written_out():
    raw = engine.canonical_input(ZONE_EXAMPLE)
    assert raw.startswith('{"algorithm":"bj-lottery-1","label":"示例：多校划片 7","mode":"zone",'.encode())
    assert b'{"categories":[],"id":"c02","preferences":[]}' in raw
    assert raw.endswith(
        b'"priorities":{"default":[["martyr"]],"schools":{}},"schools":[{"id":"A1","seats":2},{"id":"B2","seats":1}]}'
    )
    assert raw.count(b" ") == 1  # the one inside the label: no whitespace between tokens
    assert engine.input_commitment(ZONE_EXAMPLE) == hashlib.sha256(raw).hexdigest()


def test_equal_inputs_written_differently_share_one_commitment():
    shuffled = {
        "priorities": {"schools": {}, "default": [["martyr"]]},
        "participants": [{"id": p, "categories": [], "preferences": []} for p in ("c05", "c04", "c03", "c02")]
        + [{"id": "c01", "categories": ["martyr", "martyr"]}],
        "schools": [{"seats": 1, "id": "B2"}, {"seats": 2, "id": "A1"}],
        "mode": "zone",
        "label": "示例：多校划片 7",
        "algorithm": "bj-lottery-1",
    }
    assert engine.input_commitment(shuffled) == engine.input_commitment(ZONE_EXAMPLE)
    changed = {**ZONE_EXAMPLE, "label": "示例：多校划片 8"}
    assert engine.input_commitment(changed) != engine.input_commitment(ZONE_EXAMPLE)


def test_preference_order_is_part_of_the_commitment():
    swapped = json.loads(json.dumps(PREFERENCE_EXAMPLE))
    swapped["participants"][1]["preferences"] = ["B2", "A1"]
    assert engine.input_commitment(swapped) != engine.input_commitment(PREFERENCE_EXAMPLE)


# --- worked examples of the documentation ----------------------------------------------------


def test_documented_preference_example():
    result = engine.run(PREFERENCE_EXAMPLE, SEED)
    # Ranks by lottery number: c04 4103.., c05 6147.., c03 6287.., c02 a0a3.., c01 ab09..
    # A1 ranks c01 (sibling, class 0) > c03 (martyr, class 1) > c02: keeps c01, rejects c02 and c03.
    # c03 then fits at B2 next to c04; c02 takes C3; c05 listed nothing and stays unassigned.
    assert [(p.participant_id, p.rank, p.school_id, p.choice) for p in result.placements] == [
        ("c04", 1, "B2", 1),
        ("c05", 2, None, None),
        ("c03", 3, "B2", 2),
        ("c02", 4, "C3", 2),
        ("c01", 5, "A1", 1),
    ]
    assert [(s.school_id, s.assigned, s.cutoff) for s in result.schools] == [
        ("A1", 1, (0, 5)),
        ("B2", 2, (1, 1)),
        ("C3", 1, (1, 4)),
    ]
    assert result.input_commitment == "db2f851e8da6c0235431185ceab7d55ace1fd839dbd75b41230ba790e62d8315"
    assert result.result_hash == "824da76a30c66dc61fb775225dcfad9130bc462ad85277b7d06a3057b8dd130a"
    assert result.result_hash == hashlib.sha256(result.output).hexdigest()


def test_documented_zone_example():
    result = engine.run(ZONE_EXAMPLE, SEED)
    # Order: c01 (martyr, class 0) first, then by rank c04, c05, c03, c02. Seats A1 2, B2 1.
    # c01 -> A1 (2 left > 1); c04 -> A1 (1 = 1, smaller id); c05 -> B2; nothing left for c03, c02.
    assert result.assignment() == {"c01": "A1", "c02": None, "c03": None, "c04": "A1", "c05": "B2"}
    assert [(s.school_id, s.assigned, s.cutoff) for s in result.schools] == [("A1", 2, (1, 1)), ("B2", 1, (1, 2))]
    assert result.input_commitment == "943e8576c984ae47b0366080c1310b4cb2b6e93f05b690a96562d8829397ce6e"
    assert result.result_hash == "5ee4b36855b00ede83dc1a2d9278e14fc9557e0378c4bc08d6261fd6f31989e6"


def test_documentation_prints_the_same_hashes_and_output():
    text = DOC.read_text(encoding="utf-8")
    for data in (PREFERENCE_EXAMPLE, ZONE_EXAMPLE):
        result = engine.run(data, SEED)
        assert engine.canonical_input(data).decode() in text
        assert result.output.decode() in text
        for value in (result.input_commitment, result.seed_commitment, result.result_hash):
            assert value in text


def test_output_is_the_canonical_json_of_the_document():
    result = engine.run(PREFERENCE_EXAMPLE, SEED)
    document = json.loads(result.output)
    assert document == result.document()
    assert document["participants"][1] == {
        "id": "c05",
        "rank": 2,
        "random": NUMBERS["c05"],
        "school": None,
        "choice": None,
    }
    assert engine.canonical_json(document) == result.output


# --- deferred acceptance on textbook cases -------------------------------------------------


def test_da_is_stable_not_pareto_efficient():
    # Abdulkadiroglu & Sonmez (2003) style: i1 and i2 would both gain by swapping, yet DA keeps
    # the stable matching. By hand, one seat each:
    #   round 1: i1->s2 (held), i2->s1, i3->s1; s1 prefers i3 > i2: rejects i2
    #   round 2: i2->s2; s2 prefers i2 > i1: rejects i1
    #   round 3: i1->s1; s1 prefers i1 > i3: rejects i3
    #   round 4: i3->s2; s2 prefers i2 > i3: rejects i3
    #   round 5: i3->s3. Result i1-s1, i2-s2, i3-s3.
    data = textbook(
        {"i1": ["s2", "s1", "s3"], "i2": ["s1", "s2", "s3"], "i3": ["s1", "s2", "s3"]},
        {"s1": ["i1", "i3", "i2"], "s2": ["i2", "i1", "i3"], "s3": ["i3", "i1", "i2"]},
    )
    result = engine.run(data, SEED)
    assert result.assignment() == {"i1": "s1", "i2": "s2", "i3": "s3"}
    assert {p.participant_id: p.choice for p in result.placements} == {"i1": 2, "i2": 2, "i3": 3}


def test_students_propose_so_the_student_optimal_matching_wins():
    # Gale-Shapley cycle: every student's first choice is distinct, so student-proposing DA
    # ends in round 1 with a-X, b-Y, c-Z. School-proposing would give the schools' first
    # choices instead (X-b, Y-c, Z-a): a different stable matching.
    data = textbook(
        {"a": ["X", "Y", "Z"], "b": ["Y", "Z", "X"], "c": ["Z", "X", "Y"]},
        {"X": ["b", "c", "a"], "Y": ["c", "a", "b"], "Z": ["a", "b", "c"]},
    )
    assert engine.run(data, SEED).assignment() == {"a": "X", "b": "Y", "c": "Z"}


def test_rejection_chain_with_capacity_and_an_unassigned_student():
    # X has 2 seats, Y 1. Priorities X: p4 > p3 > p1 > p2, Y: p2 > p1 > p4 > p3.
    #   round 1: X gets p1, p2, p4: keeps p4, p1, rejects p2; Y keeps p3
    #   round 2: p2->Y; Y prefers p2 > p3: rejects p3
    #   round 3: p3->X; X keeps p4, p3, rejects p1, who listed only X: unassigned.
    data = textbook(
        {"p1": ["X"], "p2": ["X", "Y"], "p3": ["Y", "X"], "p4": ["X", "Y"]},
        {"X": ["p4", "p3", "p1", "p2"], "Y": ["p2", "p1", "p4", "p3"]},
        seats={"X": 2},
    )
    result = engine.run(data, SEED)
    assert result.assignment() == {"p1": None, "p2": "Y", "p3": "X", "p4": "X"}
    assert {s.school_id: s.assigned for s in result.schools} == {"X": 2, "Y": 1}


def test_single_tie_break_uses_one_number_at_every_school():
    # No priorities: both schools rank by lottery number, c04 (rank 1) before c03 (rank 3).
    # Both want A1 then B2; the better number gets A1 at once, the other B2.
    data = {
        "mode": "preference",
        "schools": [{"id": "A1", "seats": 1}, {"id": "B2", "seats": 1}],
        "participants": [{"id": c, "preferences": ["A1", "B2"]} for c in ("c03", "c04")],
    }
    assert engine.run(data, SEED).assignment() == {"c04": "A1", "c03": "B2"}
    prioritised = {
        **data,
        "participants": [
            {"id": "c03", "preferences": ["A1", "B2"], "categories": ["martyr"]},
            {"id": "c04", "preferences": ["A1", "B2"]},
        ],
        "priorities": {"schools": {"A1": [["martyr"]]}},
    }
    # c03 is a martyr's child: class 0 at A1 beats c04's better number; B2 has no priorities.
    assert engine.run(prioritised, SEED).assignment() == {"c03": "A1", "c04": "B2"}


def test_tiers_rank_categories_and_a_tier_may_hold_several():
    data = {
        "mode": "preference",
        "schools": [{"id": "A1", "seats": 2}],
        "participants": [
            {"id": "c01", "preferences": ["A1"], "categories": ["military"]},
            {"id": "c02", "preferences": ["A1"], "categories": ["martyr"]},
            {"id": "c04", "preferences": ["A1"]},
            {"id": "c05", "preferences": ["A1"], "categories": ["model_worker"]},
        ],
        "priorities": {"default": [["martyr", "military"], ["model_worker"]]},
    }
    # Classes at A1: c01 0, c02 0, c05 1, c04 2. Two seats: the first tier fills them.
    assert engine.run(data, SEED).assignment() == {"c01": "A1", "c02": "A1", "c04": None, "c05": None}


def test_zero_seat_school_and_empty_participant_list():
    data = {
        "mode": "preference",
        "schools": [{"id": "A1", "seats": 0}, {"id": "B2", "seats": 1}],
        "participants": [{"id": "c04", "preferences": ["A1", "B2"]}],
    }
    assert engine.run(data, SEED).placements[0] == ("c04", 1, NUMBERS["c04"], "B2", 2)
    empty = engine.run({**data, "participants": []}, SEED)
    assert empty.placements == ()
    assert [s.cutoff for s in empty.schools] == [None, None]


def test_zone_fills_the_school_with_most_seats_left_ties_to_the_smaller_id():
    data = {
        "mode": "zone",
        "schools": [{"id": "B2", "seats": 2}, {"id": "A1", "seats": 2}, {"id": "C3", "seats": 1}],
        "participants": [{"id": c} for c in NUMBERS],
    }
    # Rank order c04, c05, c03, c02, c01; seats left (A1, B2, C3) = (2, 2, 1):
    # c04 A1 (tie 2-2, smaller id) -> (1,2,1); c05 B2 -> (1,1,1); c03 A1 -> (0,1,1); c02 B2; c01 C3.
    assert engine.run(data, SEED).assignment() == {"c04": "A1", "c05": "B2", "c03": "A1", "c02": "B2", "c01": "C3"}


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "lucky"}, "mode"),
        ({"algorithm": "bj-lottery-0"}, "implements"),
        ({"extra": 1}, "unknown input keys"),
        ({"schools": []}, "at least one school"),
        ({"schools": [{"id": "A1", "seats": True}]}, "seats"),
        ({"schools": [{"id": "A1", "seats": 1}, {"id": "A1", "seats": 2}]}, "appears twice"),
        ({"participants": [{"id": "c01"}, {"id": "c01"}]}, "appears twice"),
        ({"participants": [{"id": "张三"}]}, "participant id"),
        ({"participants": [{"id": "c01", "preferences": ["Z9"]}]}, "unknown schools"),
        ({"participants": [{"id": "c01", "preferences": ["A1", "A1"]}]}, "appears twice"),
        ({"priorities": {"default": [["a"], ["a"]]}}, "appears twice"),
        ({"priorities": {"default": [[]]}}, "empty"),
        ({"priorities": {"schools": {"Z9": []}}}, "known school ids"),
        ({"label": "line\nbreak"}, "control"),
    ],
)
def test_invalid_input_is_refused(change, message):
    data = {"mode": "preference", "schools": [{"id": "A1", "seats": 1}], "participants": [], **change}
    with pytest.raises(LotteryInputError, match=message):
        engine.run(data, SEED)


def test_zone_lottery_refuses_preferences_and_school_priorities():
    with pytest.raises(LotteryInputError, match="no preferences"):
        engine.canonical_input({**ZONE_EXAMPLE, "participants": [{"id": "c01", "preferences": ["A1"]}]})
    with pytest.raises(LotteryInputError, match="only the default"):
        engine.canonical_input({**ZONE_EXAMPLE, "priorities": {"schools": {"A1": [["martyr"]]}}})


@pytest.mark.parametrize(
    "seed", ["short-seed", "has a space in it!!", "汉字汉字汉字汉字汉字汉字汉字汉字", 12345678901234567]
)
def test_weak_or_ambiguous_seed_is_refused(seed):
    with pytest.raises(LotteryInputError, match="seed"):
        engine.run(ZONE_EXAMPLE, seed)


def test_equal_numbers_would_be_ordered_by_id():
    # SHA-256 never repeats in practice; the rule still has to hold if it did.
    assert engine._rank_order(["z", "y", "x", "w"], ["b", "a", "a", "c"]) == [2, 1, 0, 3]


@pytest.mark.parametrize("enabled", [True, False])
def test_run_leaves_the_garbage_collector_as_it_found_it(enabled):
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        engine.run(ZONE_EXAMPLE, SEED)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
