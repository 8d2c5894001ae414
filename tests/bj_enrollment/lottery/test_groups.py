"""bj-lottery-2, twins and multiples placed together (docs/lottery.md §14): the worked examples, the
properties on generated inputs, bj-lottery-1 unchanged, and the stand-alone verifier on v2 draws."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.bj_enrollment.lottery import engine
from apps.bj_enrollment.lottery.engine import LotteryInputError
from tests.bj_enrollment.lottery.test_engine import PREFERENCE_EXAMPLE, SEED, ZONE_EXAMPLE
from tests.bj_enrollment.lottery.test_properties import lottery_inputs, seeds
from tests.bj_enrollment.lottery.test_verifier import load_verifier

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "lottery.md"
SCRIPT = ROOT / "tools" / "verify_lottery.py"
verifier = load_verifier()
modest = settings(max_examples=80, deadline=None)

TWINS_PREFERENCE = {
    "label": "示例：双胞胎同校",
    "mode": "preference",
    "schools": [{"id": "A1", "seats": 2}, {"id": "B2", "seats": 1}, {"id": "C3", "seats": 2}],
    "participants": [
        {"id": "c01", "preferences": ["A1", "B2"]},
        {"id": "c02", "preferences": ["A1", "C3"]},
        {"id": "c03", "preferences": ["B2", "A1"]},
        {"id": "c04", "preferences": ["A1"], "categories": ["martyr"]},
        {"id": "t01", "preferences": ["A1", "B2", "C3"]},
        {"id": "t02", "preferences": ["A1", "B2", "C3"]},
    ],
    "groups": [["t02", "t01"]],
    "priorities": {"default": [["martyr"]]},
}
TWINS_ZONE = {
    "label": "示例：多校划片 双胞胎",
    "mode": "zone",
    "schools": [{"id": "A1", "seats": 2}, {"id": "B2", "seats": 2}],
    "participants": [{"id": "c02"}, {"id": "c03"}, {"id": "c04"}, {"id": "t01"}, {"id": "t02"}, {"id": "c08"}],
    "groups": [["t01", "t02"]],
}
# printf 'bj-lottery-2\000%s\000%s\000%s' "$SEED" t01 t02 | sha256sum
TWINS_NUMBER = "b9f6e8ade0fa4799bd1528d115dc7d8e9491a03ff15e3bd94d65da9b813f54d2"
HASHES = {
    "preference": (
        "492be55462e45c03e75f869a4c87ab10ffc8be4412463ed69a93dd79a350eafb",
        "288a2387493f3768bf07135c6935b2f39d3ea6fd448fe8b986975f2c6525924b",
    ),
    "zone": (
        "bd5e03b29ad2357977afae19e2b1351e720c2f19561e601d7328ac3b8dfb4bdf",
        "08e3a4099a9631ef24a13e940c9f96ef6e84cae04bc233ca4a0efa4b97580e5f",
    ),
}


# --- the worked examples of §14.7 -------------------------------------------------------------


def test_group_number_is_sha256_of_version_seed_and_sorted_members():
    material = b"\x00".join([b"bj-lottery-2", SEED.encode(), b"t01", b"t02"])
    assert engine.group_number(SEED, ["t02", "t01"]) == hashlib.sha256(material).hexdigest() == TWINS_NUMBER


def test_preference_example_places_the_twins_together_at_their_third_choice():
    result = engine.run(TWINS_PREFERENCE, SEED)
    assert result.algorithm == "bj-lottery-2"
    assert result.assignment() == {"c04": "A1", "c02": "A1", "c03": "B2", "t01": "C3", "t02": "C3", "c01": None}
    twins = [p for p in result.placements if p.participant_id in ("t01", "t02")]
    assert {(p.random, p.rank, p.choice) for p in twins} == {(TWINS_NUMBER, 5, 3)}
    assert [s.cutoff for s in result.schools] == [(1, 3), (1, 2), (1, 5)]
    assert [s.assigned for s in result.schools] == [2, 1, 2]
    assert (result.input_commitment, result.result_hash) == HASHES["preference"]


def test_zone_example_leaves_twins_that_fit_nowhere_unassigned_together():
    result = engine.run(TWINS_ZONE, SEED)
    assert result.assignment() == {"c04": "A1", "c03": "B2", "c02": "A1", "t01": None, "t02": None, "c08": "B2"}
    assert (result.input_commitment, result.result_hash) == HASHES["zone"]


def test_the_documentation_prints_the_v2_examples():
    text = DOC.read_text(encoding="utf-8")
    for data in (TWINS_PREFERENCE, TWINS_ZONE):
        result = engine.run(data, SEED)
        assert engine.canonical_input(data).decode() in text
        assert result.output.decode() in text
        assert f"input_commitment = {result.input_commitment}" in text
        assert f"result_hash = {result.result_hash}" in text
    assert TWINS_NUMBER in text


# --- bj-lottery-1 unchanged ------------------------------------------------------------------

# A fixed vector: this input, drawn as bj-lottery-1 before groups existed, gave this result hash.
V1_VECTOR = {
    "mode": "preference",
    "schools": [{"id": "A1", "seats": 1}, {"id": "B2", "seats": 2}],
    "participants": [
        {"id": "k1", "preferences": ["A1", "B2"]},
        {"id": "k2", "preferences": ["A1"]},
        {"id": "k3", "preferences": ["B2", "A1"], "categories": ["martyr"]},
        {"id": "k4", "preferences": ["A1", "B2"]},
    ],
    "priorities": {"default": [["martyr"]]},
}
V1_VECTOR_HASH = "437da049dc641c573af2de8db64ec383f8321f1490eb0f7307828a7457b79073"  # by engine.py at 32b0106


def test_v1_fixed_vectors_are_unchanged():
    assert engine.run(PREFERENCE_EXAMPLE, SEED).result_hash == (
        "824da76a30c66dc61fb775225dcfad9130bc462ad85277b7d06a3057b8dd130a"
    )
    assert engine.run(ZONE_EXAMPLE, SEED).result_hash == (
        "5ee4b36855b00ede83dc1a2d9278e14fc9557e0378c4bc08d6261fd6f31989e6"
    )
    result = engine.run({**V1_VECTOR, "groups": []}, SEED)  # an empty group list is still bj-lottery-1
    assert result.algorithm == "bj-lottery-1"
    assert b"groups" not in engine.canonical_input({**V1_VECTOR, "groups": []})
    assert result.result_hash == engine.run(V1_VECTOR, SEED).result_hash == V1_VECTOR_HASH



def test_version_is_picked_from_the_input_and_v1_refuses_groups():
    assert engine.normalise_input(TWINS_ZONE)["algorithm"] == "bj-lottery-2"
    assert engine.normalise_input(ZONE_EXAMPLE)["algorithm"] == "bj-lottery-1"
    with pytest.raises(LotteryInputError, match="bj-lottery-1 has no groups"):
        engine.normalise_input({**TWINS_ZONE, "algorithm": "bj-lottery-1"})


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([["t01"]], "2 to 6 members"),
        ([["t01", "nobody"]], "not participants"),
        ([["t01", "t02"], ["t02", "c02"]], "appears twice"),
        ([["t01", "t01"]], "appears twice"),
    ],
)
def test_malformed_groups_are_refused(groups, message):
    with pytest.raises(LotteryInputError, match=message):
        engine.normalise_input({**TWINS_ZONE, "groups": groups})


def test_members_with_different_preferences_are_refused():
    people = [dict(p) for p in TWINS_PREFERENCE["participants"]]
    people[-1]["preferences"] = ["B2", "A1", "C3"]
    with pytest.raises(LotteryInputError, match="same preferences"):
        engine.normalise_input({**TWINS_PREFERENCE, "participants": people})


# --- properties on generated inputs ----------------------------------------------------------


@st.composite
def grouped_inputs(draw, mode=None):
    """A lottery input whose participants are partly bound in groups of 2 or 3 (same preferences)."""
    data = draw(lottery_inputs(mode=mode, max_people=14))
    people = data["participants"]
    order = draw(st.permutations(range(len(people))))
    groups, at = [], 0
    while at + 2 <= len(order) and draw(st.booleans()):
        size = draw(st.integers(2, min(3, len(order) - at)))
        members = [people[i] for i in order[at : at + size]]
        for member in members[1:]:
            member["preferences"] = list(members[0].get("preferences", []))
        groups.append([m["id"] for m in members])
        at += size
    data["groups"] = groups
    data["algorithm"] = "bj-lottery-2"
    return data


@modest
@given(grouped_inputs(), seeds)
def test_no_school_takes_more_than_its_seats(data, seed):
    result = engine.run(data, seed)
    seats = {s["id"]: s["seats"] for s in data["schools"]}
    placed = [p.school_id for p in result.placements if p.school_id]
    for school in result.schools:
        assert placed.count(school.school_id) == school.assigned <= seats[school.school_id]


@modest
@given(grouped_inputs(), seeds)
def test_group_members_are_never_split(data, seed):
    result = engine.run(data, seed)
    by_id = {p.participant_id: p for p in result.placements}
    for group in data["groups"]:
        outcomes = {(by_id[m].school_id, by_id[m].random, by_id[m].rank, by_id[m].choice) for m in group}
        assert len(outcomes) == 1, group
        assert next(iter(outcomes))[1] == engine.group_number(seed, group)


@modest
@given(grouped_inputs(), seeds, st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_order(data, seed, shuffle):
    first = engine.run(data, seed)
    again = json.loads(json.dumps(data))
    shuffle.shuffle(again["participants"])
    shuffle.shuffle(again["groups"])
    for group in again["groups"]:
        shuffle.shuffle(group)
    second = engine.run(again, seed)
    assert first.output == second.output and first.result_hash == second.result_hash


@modest
@given(lottery_inputs(max_people=14), seeds)
def test_v2_without_groups_equals_v1(data, seed):
    v1 = engine.run(data, seed)
    v2 = engine.run({**data, "algorithm": "bj-lottery-2", "groups": []}, seed)
    assert (v1.algorithm, v2.algorithm) == ("bj-lottery-1", "bj-lottery-2")
    assert v1.placements == v2.placements and v1.schools == v2.schools
    assert v1.document()["participants"] == v2.document()["participants"]


@modest
@given(grouped_inputs(), seeds)
def test_a_unit_is_placed_only_where_it_listed_and_only_if_it_fits(data, seed):
    """Every placed unit's school is on its list (preference mode); a unit that stayed out in zone
    mode found no school with room for all its members at its turn, so seats it left went to later units."""
    result = engine.run(data, seed)
    people = {p["id"]: p for p in data["participants"]}
    for placement in result.placements:
        if placement.school_id and data["mode"] == engine.PREFERENCE:
            prefs = people[placement.participant_id]["preferences"]
            assert prefs[placement.choice - 1] == placement.school_id


@modest
@given(grouped_inputs(), seeds)
def test_the_verifier_reproduces_every_v2_draw(data, seed):
    result = engine.run(data, seed)
    inp = verifier.normalise(json.loads(engine.canonical_input(data)))
    assert verifier.canonical_json(verifier.draw(inp, seed)) == result.output


# --- the stand-alone verifier on a published v2 draw ----------------------------------------------


@pytest.fixture
def published_v2(tmp_path):
    result = engine.run(TWINS_PREFERENCE, SEED)
    (tmp_path / "input.json").write_bytes(engine.canonical_input(TWINS_PREFERENCE))
    (tmp_path / "seed.txt").write_text(SEED + "\n")
    (tmp_path / "output.json").write_bytes(result.output)
    commitments = {
        "input_commitment": result.input_commitment,
        "seed_commitment": result.seed_commitment,
        "result_hash": result.result_hash,
    }
    (tmp_path / "commitments.json").write_text(json.dumps(commitments))
    return tmp_path


def run_script(folder):
    args = [sys.executable, str(SCRIPT)]
    for flag, name in (("--input", "input.json"), ("--output", "output.json"), ("--seed-file", "seed.txt"),
                       ("--commitments", "commitments.json")):
        args += [flag, str(folder / name)]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def test_verifier_accepts_a_published_v2_draw(published_v2):
    done = run_script(published_v2)
    assert done.returncode == 0, done.stdout
    assert "VERIFIED: all 4 checks passed (bj-lottery-2)" in done.stdout


def test_verifier_rejects_twins_split_in_the_output(published_v2):
    output = json.loads((published_v2 / "output.json").read_text())
    twin = next(p for p in output["participants"] if p["id"] == "t02")
    twin["school"], twin["choice"] = "A1", 1  # one twin moved to the first choice
    (published_v2 / "output.json").write_text(json.dumps(output))
    done = run_script(published_v2)
    assert done.returncode == 1
    assert "FAIL  re-run" in done.stdout and "t02" in done.stdout
    assert "NOT VERIFIED" in done.stdout


def test_verifier_rejects_a_group_removed_from_the_input(published_v2):
    data = json.loads((published_v2 / "input.json").read_text())
    data["groups"] = []
    (published_v2 / "input.json").write_text(json.dumps(data))
    done = run_script(published_v2)
    assert done.returncode == 1
    assert "FAIL  input commitment" in done.stdout
