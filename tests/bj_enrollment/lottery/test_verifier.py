"""tools/verify_lottery.py: reproduces published draws and reports every kind of tampering (R36)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.bj_enrollment.lottery import engine

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tools" / "verify_lottery.py"
SEED = "2025-06-20-haidian-ceremony-7f3a9c"
DRAW = {
    "label": "海淀 2025 小升初 测试",
    "mode": "preference",
    "schools": [{"id": "A1", "seats": 2}, {"id": "B2", "seats": 1}, {"id": "C3", "seats": 2}],
    "participants": [
        {"id": f"child{n:02d}", "preferences": prefs, "categories": cats}
        for n, (prefs, cats) in enumerate(
            [
                (["A1", "B2"], []),
                (["A1", "C3"], ["martyr"]),
                (["B2", "A1", "C3"], []),
                (["A1"], ["sibling"]),
                (["C3", "B2"], []),
                (["A1", "B2", "C3"], []),
                ([], []),
            ]
        )
    ],
    "priorities": {"default": [["martyr"]], "schools": {"A1": [["sibling"], ["martyr"]]}},
}


def load_verifier():
    """The script is stand-alone, not a package module: load it from its path."""
    spec = importlib.util.spec_from_file_location("verify_lottery", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


verifier = load_verifier()


@pytest.fixture
def published(tmp_path):
    """The four files a district publishes after the draw, written from the engine's result."""
    result = engine.run(DRAW, SEED)
    files = {
        "input": tmp_path / "input.json",
        "seed": tmp_path / "seed.txt",
        "output": tmp_path / "output.json",
        "commitments": tmp_path / "commitments.json",
    }
    files["input"].write_bytes(engine.canonical_input(DRAW))
    files["seed"].write_text(SEED + "\n", encoding="ascii")
    files["output"].write_bytes(result.output)
    commitments = {
        "input_commitment": engine.input_commitment(DRAW),
        "seed_commitment": engine.seed_commitment(SEED),
        "result_hash": result.result_hash,
    }
    files["commitments"].write_text(json.dumps(commitments), encoding="utf-8")
    return files, commitments


def verify(files, *extra):
    args = ["--input", files["input"], "--seed-file", files["seed"], "--output", files["output"], *extra]
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, SCRIPT, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )
    lines = {line.split(":")[0].split(maxsplit=1)[1]: line.split()[0] for line in done.stdout.splitlines()[:-1]}
    return done.returncode, lines, done.stdout


def test_untouched_draw_verifies(published):
    files, commitments = published
    code, lines, out = verify(files, "--commitments", files["commitments"])
    assert code == 0, out
    assert lines == {"input commitment": "OK", "seed commitment": "OK", "re-run": "OK", "result hash": "OK"}
    assert out.splitlines()[-1] == "VERIFIED: all 4 checks passed (bj-lottery-1)"
    assert f"published {commitments['input_commitment']}" in out


def test_hashes_may_be_given_on_the_command_line(published):
    files, commitments = published
    code, lines, _ = verify(
        files,
        "--input-commitment",
        commitments["input_commitment"],
        "--seed-commitment",
        commitments["seed_commitment"],
    )
    assert code == 0
    assert lines == {"input commitment": "OK", "seed commitment": "OK", "re-run": "OK"}


def test_a_reformatted_copy_of_the_same_input_still_verifies(published):
    files, _ = published
    data = json.loads(files["input"].read_text(encoding="utf-8"))
    data["participants"].reverse()
    files["input"].write_text(json.dumps(data, indent=2, ensure_ascii=True), encoding="utf-8")
    code, _, out = verify(files, "--commitments", files["commitments"])
    assert code == 0, out


def test_changed_seed_is_reported(published):
    files, _ = published
    files["seed"].write_text(SEED.replace("7f3a9c", "7f3a9d"), encoding="ascii")
    code, lines, out = verify(files, "--commitments", files["commitments"])
    assert code == 1
    assert lines["seed commitment"] == "FAIL"
    assert lines["re-run"] == "FAIL"  # other numbers: the published ranks no longer match
    assert lines["input commitment"] == "OK"
    assert "seed_commitment: re-run gives" in out
    assert "participants entries differ" in out  # other numbers, so other ranks
    assert out.splitlines()[-1] == "NOT VERIFIED: 2 of 4 checks failed"


def test_changed_participant_is_reported(published):
    files, _ = published
    data = json.loads(files["input"].read_bytes())
    data["participants"][2]["preferences"] = ["A1", "B2", "C3"]  # child02 now puts A1 first
    files["input"].write_bytes(engine.canonical_json(data))
    code, lines, _ = verify(files, "--commitments", files["commitments"])
    assert code == 1
    assert lines["input commitment"] == "FAIL"
    assert lines["seed commitment"] == "OK"


def test_swapped_participant_id_is_reported(published):
    files, _ = published
    data = json.loads(files["input"].read_bytes())
    data["participants"][0]["id"] = "child99"
    files["input"].write_bytes(engine.canonical_json(data))
    code, lines, _ = verify(files, "--commitments", files["commitments"])
    assert code == 1
    assert lines["input commitment"] == "FAIL"
    assert lines["re-run"] == "FAIL"


def test_changed_result_is_reported(published):
    files, _ = published
    output = json.loads(files["output"].read_bytes())
    unassigned = next(p for p in output["participants"] if p["school"] is None)
    unassigned["school"], unassigned["choice"] = "C3", 1
    files["output"].write_bytes(engine.canonical_json(output))
    code, lines, out = verify(files, "--commitments", files["commitments"])
    assert code == 1
    assert lines == {"input commitment": "OK", "seed commitment": "OK", "re-run": "FAIL", "result hash": "FAIL"}
    assert "1 participants entries differ" in out
    assert "schools entries differ" not in out  # the tamperer left the school summary alone
    assert f'"id":"{unassigned["id"]}"' in out


def test_result_that_matches_the_draw_but_not_the_published_hash_is_reported(published):
    files, _ = published
    code, lines, _ = verify(files, "--commitments", files["commitments"], "--result-hash", "0" * 64)
    assert code == 1
    assert lines["re-run"] == "OK"
    assert lines["result hash"] == "FAIL"


def test_unreadable_output_fails_cleanly(published):
    files, _ = published
    files["output"].write_text("{not json", encoding="utf-8")
    code, lines, _ = verify(files, "--commitments", files["commitments"])
    assert code == 1
    assert lines["re-run"] == "FAIL"


def test_missing_commitment_is_a_usage_error(published):
    files, _ = published
    code, _, _ = verify(files)
    assert code == 2


# --- the verifier is a second implementation: it must agree with the engine everywhere ------

SCHOOLS = ["A1", "B2", "C3", "D4"]
CATEGORIES = ["martyr", "military", "sibling"]


@st.composite
def inputs(draw):
    mode = draw(st.sampled_from(engine.MODES))
    schools = SCHOOLS[: draw(st.integers(1, len(SCHOOLS)))]
    people = []
    for pid in draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), unique=True, max_size=15)):
        prefs = draw(st.permutations(schools))[: draw(st.integers(0, len(schools)))] if mode == "preference" else []
        cats = draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=2))
        people.append({"id": pid, "preferences": prefs, "categories": cats})
    one_tier = st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=1)
    default = draw(st.lists(one_tier, unique_by=lambda t: t[0], max_size=3))
    overrides = {}
    if mode == "preference":
        for school in draw(st.lists(st.sampled_from(schools), unique=True, max_size=2)):
            overrides[school] = draw(st.lists(one_tier, unique_by=lambda t: t[0], max_size=3))
    return {
        "mode": mode,
        "schools": [{"id": s, "seats": draw(st.integers(0, 4))} for s in schools],
        "participants": people,
        "priorities": {"default": default, "schools": overrides},
    }


@settings(max_examples=80, deadline=None)
@given(inputs(), st.from_regex(r"[!-~]{16,32}", fullmatch=True))
def test_verifier_and_engine_compute_the_same_output(data, seed):
    normalised = verifier.normalise(data)
    assert verifier.canonical_json(normalised) == engine.canonical_input(data)
    assert verifier.canonical_json(verifier.draw(normalised, seed)) == engine.run(data, seed).output


def test_zone_draw_verifies_and_a_moved_seat_is_reported(tmp_path):
    zone = {
        "mode": "zone",
        "schools": [{"id": "A1", "seats": 2}, {"id": "B2", "seats": 1}],
        "participants": [{"id": f"child{n}", "categories": ["martyr"] if n == 4 else []} for n in range(6)],
        "priorities": {"default": [["martyr"]]},
    }
    result = engine.run(zone, SEED)
    assert sum(p.school_id is not None for p in result.placements) == 3  # six children, three seats
    files = {"input": tmp_path / "in.json", "seed": tmp_path / "seed", "output": tmp_path / "out.json"}
    files["input"].write_bytes(engine.canonical_input(zone))
    files["seed"].write_text(SEED, encoding="ascii")
    files["output"].write_bytes(result.output)
    hashes = ["--input-commitment", result.input_commitment, "--seed-commitment", result.seed_commitment]
    assert verify(files, *hashes)[0] == 0
    output = json.loads(result.output)
    first, last = output["participants"][0], output["participants"][-1]
    assert first["school"] != last["school"]
    first["school"], last["school"] = last["school"], first["school"]
    files["output"].write_bytes(engine.canonical_json(output))
    code, lines, _ = verify(files, *hashes)
    assert (code, lines["re-run"]) == (1, "FAIL")
