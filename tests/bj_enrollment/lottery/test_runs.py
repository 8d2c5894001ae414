"""Lottery runs made through the desk (R35, R36): committed, sealed, drawn in the worker, published,
reproduced by the stand-alone verifier, applied through the workflow, scoped to the district."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState, CategoryKind
from apps.bj_enrollment.lottery import fairness
from apps.bj_enrollment.lottery.inputs import participant_id
from apps.bj_enrollment.models import (
    Application,
    Category,
    CategoryClaim,
    LotteryRun,
    SchoolPlan,
    ServiceZone,
    ZoneArea,
)
from apps.bj_enrollment.zones import index as zone_index
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
SEED = "2026-07-01-dongcheng-ceremony-4411"
SEATS = {"和平里第一小学": 6, "和平里第四小学": 4}


def build_draw_city(city):
    """A multi-school zone with two schools, 10 seats and 14 children living in it (2 with priority)."""
    schools = [factories.school(city.east, name) for name in SEATS]
    zone = ServiceZone.objects.create(district=city.east, name="和平里多校划片", areas="", multi_school=True)
    zone.schools.set(schools)
    ZoneArea.objects.create(zone=zone, road="和平里东街")
    for school in schools:
        SchoolPlan.objects.create(campaign=city.campaign, school=school, seats=SEATS[school.name])
    martyr = Category.objects.create(code="martyr", name="烈士子女", kind=CategoryKind.PRIORITY)
    children = []
    for n in range(14):
        app = factories.application(city.campaign, factories.child(f"派位{n}"), city.east, mobile=f"1390000{n:04d}")
        Application.objects.filter(pk=app.pk).update(residence_address=f"东城区和平里东街{n + 1}号")
        if n < 2:  # R5: verified by the district (services/categories.py; tests/bj_enrollment/test_categories.py)
            CategoryClaim.objects.create(
                application=app, category=martyr, document_number=f"LS{n}", status=CategoryClaim.Status.VERIFIED
            )
        children.append(app)
    outside = factories.application(city.campaign, factories.child("区外"), city.east, mobile="13911112222")
    Application.objects.filter(pk=outside.pk).update(residence_address="东城区东四十条3号")
    zone_index.changed()
    city.zone, city.zone_schools, city.zone_children, city.outside = zone, schools, children, outside
    return city


@pytest.fixture
def draw_city(city):
    return build_draw_city(city)


def desk(client, user):
    client.force_login(user)
    return client


def create(client, city, **extra):
    data = {"campaign": city.campaign.pk, "district": city.east.pk, "zone": city.zone.pk, "mode": "zone",
            "title": "2026 和平里多校划片派位", "repeat_reason": ""}
    data.update(extra)
    return client.post(reverse("admin:bj_enrollment_lotteryrun_add"), data)


def step(client, run, name, seed=""):
    return client.post(reverse("admin:bj_enrollment_lotteryrun_step", args=[run.pk, name]), {"seed": seed})


def download(client, run, name) -> bytes:
    response = client.get(reverse("admin:bj_enrollment_lotteryrun_file", args=[run.pk, name]))
    assert response.status_code == 200, name
    return response.content


def drawn_run(client, city, run_jobs) -> tuple[LotteryRun, dict]:
    """A run through every step up to the draw; returns it with the files published before the draw."""
    assert create(client, city).status_code == 302
    run = LotteryRun.objects.get()
    assert step(client, run, "commit").status_code == 302
    before = {"input.json": download(client, run, "input.json")}
    step(client, run, "seed", SEED)
    before["commitments.json"] = download(client, run, "commitments.json")
    step(client, run, "draw", SEED)
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DONE, run.error
    return run, before


def test_a_desk_run_is_reproduced_by_the_standalone_verifier(client, draw_city, run_jobs, tmp_path):
    desk(client, draw_city.east_reviewer)
    run, before = drawn_run(client, draw_city, run_jobs)
    assert run.participants == 14  # the child outside the zone is not drawn
    for name in ("input.json", "seed.txt", "output.json", "commitments.json"):
        (tmp_path / name).write_bytes(download(client, run, name))

    # What was published before the draw is what the files after it hash to.
    import json

    early = json.loads(before["commitments.json"])
    assert (tmp_path / "input.json").read_bytes() == before["input.json"]
    assert hashlib.sha256(before["input.json"]).hexdigest() == early["input_commitment"] == run.input_commitment
    assert hashlib.sha256(SEED.encode()).hexdigest() == early["seed_commitment"]
    assert hashlib.sha256((tmp_path / "output.json").read_bytes()).hexdigest() == run.result_hash

    command = [sys.executable, str(ROOT / "tools" / "verify_lottery.py"), "--input", str(tmp_path / "input.json"),
               "--output", str(tmp_path / "output.json"), "--seed-file", str(tmp_path / "seed.txt"),
               "--commitments", str(tmp_path / "commitments.json")]
    ok = subprocess.run(command, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "VERIFIED: all" in ok.stdout, ok.stdout + ok.stderr
    call_command("verify_lottery", str(tmp_path))

    output = json.loads((tmp_path / "output.json").read_bytes())
    first = output["participants"][0]  # the best number loses its place
    first["school"] = None
    (tmp_path / "output.json").write_text(json.dumps(output, ensure_ascii=False))
    tampered = subprocess.run(command, capture_output=True, text=True, check=False)
    assert tampered.returncode == 1 and "NOT VERIFIED" in tampered.stdout
    with pytest.raises(CommandError):
        call_command("verify_lottery", str(tmp_path))


def test_the_draw_needs_the_seed_that_was_committed(client, draw_city, run_jobs):
    desk(client, draw_city.east_reviewer)
    create(client, draw_city)
    run = LotteryRun.objects.get()
    step(client, run, "commit")
    assert step(client, run, "draw", SEED).status_code == 302  # no commitment published yet
    step(client, run, "seed", SEED)
    step(client, run, "draw", SEED + "-other")
    run.refresh_from_db()
    assert run.state == LotteryRun.State.COMMITTED and run.seed == ""
    assert not run.entries.exists()


def test_a_second_run_needs_a_reason_and_both_are_kept(client, draw_city, run_jobs):
    desk(client, draw_city.east_reviewer)
    first, _before = drawn_run(client, draw_city, run_jobs)
    refused = create(client, draw_city)
    assert refused.status_code == 200 and "repeat_reason" in refused.context["adminform"].form.errors
    assert LotteryRun.objects.count() == 1
    assert create(client, draw_city, repeat_reason="公证处要求重新摇号：种子录入错误").status_code == 302
    second = LotteryRun.objects.exclude(pk=first.pk).get()
    assert second.supersedes == first and second.repeat_reason.startswith("公证处")
    assert first.entries.count() == 14  # the first run's results stay
    assert step(client, first, "apply").status_code == 302
    first.refresh_from_db()
    assert first.applied_by is None  # a replaced run's results are not applied


def test_applying_again_after_a_lost_worker_counts_what_it_did_as_done(client, draw_city, run_jobs):
    """A worker lost halfway through the results: the outbox runs the job again, the applications the
    first attempt placed are not reported as refused, the others are placed."""
    from apps.bj_enrollment import workflow_actions as A
    from apps.lowcode.workflow import engine as workflow

    desk(client, draw_city.east_reviewer)
    run, _before = drawn_run(client, draw_city, run_jobs)
    placed = list(run.entries.filter(school__isnull=False).select_related("application"))
    for entry in placed[: len(placed) // 2]:  # what the first attempt did
        Application.objects.filter(pk=entry.application_id).update(school_id=entry.school_id)
        entry.application.refresh_from_db()
        workflow.apply_action(None, entry.application, A.ASSIGN_BY_LOTTERY, f"Lottery run {run.pk}", system=True)
    step(client, run, "apply")
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED and run.error == ""
    for entry in placed:
        entry.application.refresh_from_db()
        assert (entry.application.state, entry.application.school_id) == (ApplicationState.PRE_ADMITTED,
                                                                          entry.school_id)


def test_results_feed_the_workflow(client, draw_city, run_jobs):
    desk(client, draw_city.east_reviewer)
    run, _before = drawn_run(client, draw_city, run_jobs)
    step(client, run, "apply")
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED and run.error == ""
    for entry in run.entries.select_related("application"):
        app = entry.application
        if entry.school_id:
            assert (app.state, app.school_id) == (ApplicationState.PRE_ADMITTED, entry.school_id)
        else:
            assert (app.state, app.school_id) == (ApplicationState.READY_TO_PRINT, None)
    for school in draw_city.zone_schools:
        placed = Application.objects.filter(school=school, state=ApplicationState.PRE_ADMITTED).count()
        assert placed == SEATS[school.name]
    page = client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).content.decode()
    for entry in run.entries.filter(school__isnull=True):
        assert entry.participant_id in page  # the unassigned are listed
    # Priority children are placed first.
    assert set(run.entries.filter(priority_class=0, school__isnull=False).values_list("participant_id", flat=True)) == {
        participant_id(draw_city.campaign, a.child) for a in draw_city.zone_children[:2]
    }


def test_fairness_report_matches_the_entries(client, draw_city, run_jobs):
    desk(client, draw_city.east_reviewer)
    run, _before = drawn_run(client, draw_city, run_jobs)
    rows = {row.label: row for row in fairness.by_priority(run)}
    assert sum(r.participants for r in rows.values()) == 14
    assert sum(r.assigned for r in rows.values()) == run.entries.filter(school__isnull=False).count() == 10
    assert [r.assigned for r in fairness.by_preference(run)] == [10, 4]
    page = client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).content.decode()
    assert 'id="fairness-priority"' in page and 'id="fairness-preference"' in page


def test_another_district_cannot_see_or_act_on_the_run(client, draw_city, run_jobs):
    desk(client, draw_city.east_reviewer)
    run, _before = drawn_run(client, draw_city, run_jobs)
    west = factories.staff("west-lottery", roles.DISTRICT_REVIEWER, district_=draw_city.west)
    desk(client, west)
    client.get(reverse("admin:index"))  # the east reviewer's pending "added" message is shown and gone
    listing = client.get(reverse("admin:bj_enrollment_lotteryrun_changelist")).content.decode()
    assert run.title not in listing
    assert client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:bj_enrollment_lotteryrun_file", args=[run.pk, "output.json"])).status_code == 404
    assert client.get(reverse("admin:bj_enrollment_lotteryrun_status", args=[run.pk])).status_code == 404
    assert step(client, run, "apply").status_code == 404
    run.refresh_from_db()
    assert run.applied_by is None
    forged = create(client, draw_city, title="越权派位")
    assert not LotteryRun.objects.filter(title="越权派位").exists() and forged.status_code in (200, 403)
