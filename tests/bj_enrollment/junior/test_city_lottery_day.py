"""The city-wide lottery day (R41, #16 item 3), through the desk: one run record, one seed, every
district's students drawn in one go, each district its own market; the files verify with the stand-alone
verifier; results applied through the Student workflow (route 派位 with its transition); progress per
district on the run's page; a repeat (of the day, or a district's own draw after it) needs a reason."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.models import LotteryEntry, LotteryRun, SchoolPlan, Student
from tests import factories
from tests.bj_enrollment.lottery.test_runs import ROOT, SEED

pytestmark = pytest.mark.django_db
ADD = reverse("admin:bj_enrollment_lotteryrun_add")


@pytest.fixture
def day(junior, city):
    """Two districts, two junior highs each (3 seats per district), four confirmed students each."""
    east_two = factories.junior_school(city.east, "东城二中")
    west_two = factories.junior_school(city.west, "西城二中")
    for school, seats in ((junior.east_junior, 2), (east_two, 1), (junior.west_junior, 1), (west_two, 2)):
        SchoolPlan.objects.create(campaign=junior.campaign, school=school, seats=seats)
    students = [junior.east_student, junior.west_student]
    for n in range(3):
        students.append(factories.student(junior.campaign, city.east_school, f"东{n}", education_id=f"GE{n:017d}"))
        students.append(factories.student(junior.campaign, city.west_school, f"西{n}", education_id=f"GW{n:017d}"))
    for student in students:
        factories.put_in_state(student, StudentState.CONFIRMED)
    return junior


def create(client, campaign, district=None, reason=""):
    return client.post(ADD, {"campaign": campaign.pk, "district": district.pk if district else "", "zone": "",
                             "mode": "preference", "title": "2026年小升初全市电脑派位", "repeat_reason": reason})


def step(client, run, name, seed=""):
    return client.post(reverse("admin:bj_enrollment_lotteryrun_step", args=[run.pk, name]), {"seed": seed})


def drawn(client, run, run_jobs) -> LotteryRun:
    for name, seed in (("commit", ""), ("seed", SEED), ("draw", SEED)):
        assert step(client, run, name, seed).status_code == 302
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DONE, run.error
    return run


def placements(run) -> dict[int, int | None]:
    return dict(LotteryEntry.objects.filter(run=run).values_list("student_id", "school_id"))


def test_one_run_one_seed_every_district_its_own_market(client, day, run_jobs, tmp_path):
    client.force_login(day.city_admin)
    assert create(client, day.campaign).status_code == 302
    run = drawn(client, LotteryRun.objects.get(district__isnull=True), run_jobs)
    assert run.participants == 8
    entries = LotteryEntry.objects.filter(run=run).select_related("student", "school")
    assert {e.student.district_id for e in entries} == {day.east_junior.district_id, day.west_junior.district_id}
    placed = [e for e in entries if e.school_id]
    assert len(placed) == 6  # three seats in each district, four students each
    assert all(e.school.district_id == e.student.district_id for e in placed)  # never another district's school

    # the whole city's files, as published to anyone, verify with the stand-alone verifier
    client.logout()
    page = client.get(reverse("disclosure:lottery")).content.decode()
    assert f'id="lottery-run-{run.pk}"' in page and "全市统一派位" in page and run.result_hash in page
    for name in ("input.json", "seed.txt", "output.json", "commitments.json"):
        response = client.get(reverse("disclosure:lottery_file", args=[run.pk, name]))
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.content)
    client.force_login(day.city_admin)
    command = [sys.executable, str(ROOT / "tools" / "verify_lottery.py"), "--input", str(tmp_path / "input.json"),
               "--output", str(tmp_path / "output.json"), "--seed-file", str(tmp_path / "seed.txt"),
               "--commitments", str(tmp_path / "commitments.json")]
    ok = subprocess.run(command, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "VERIFIED: all" in ok.stdout, ok.stdout + ok.stderr

    # one district drawn alone with the same seed places its students exactly as the city's day did
    city_east = {s: school for s, school in placements(run).items()
                 if Student.objects.get(pk=s).district_id == day.east_junior.district_id}
    assert create(client, day.campaign, day.east_junior.district, reason="对照核验").status_code == 302
    alone = drawn(client, LotteryRun.objects.get(district=day.east_junior.district), run_jobs)
    assert placements(alone) == city_east


def test_results_are_applied_through_the_workflow_with_progress_per_district(client, day, run_jobs):
    client.force_login(day.city_admin)
    create(client, day.campaign)
    run = drawn(client, LotteryRun.objects.get(), run_jobs)
    page = client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).content.decode()
    assert f'data-district="{day.east_junior.district.code}"' in page and 'id="lottery-districts"' in page
    status = client.get(reverse("admin:bj_enrollment_lotteryrun_status", args=[run.pk])).json()
    assert sorted((d["participants"], d["placed"], d["admitted"]) for d in status["districts"]) == [(4, 3, 0)] * 2

    assert step(client, run, "apply").status_code == 302
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED and not run.error
    for entry in LotteryEntry.objects.filter(run=run).select_related("student"):
        student = entry.student
        if entry.school_id:
            assert (student.state, student.school_id, student.admission_route) == ("admitted", entry.school_id,
                                                                                   "lottery")
            assert student.admission_record is not None
        else:  # not placed: still waiting, nothing written
            assert (student.state, student.school_id, student.admission_route) == ("confirmed", None, "")
    status = client.get(reverse("admin:bj_enrollment_lotteryrun_status", args=[run.pk])).json()
    assert sorted((d["placed"], d["admitted"]) for d in status["districts"]) == [(3, 3)] * 2


def test_a_repeat_needs_a_reason(client, day):
    client.force_login(day.city_admin)
    assert create(client, day.campaign).status_code == 302
    day_run = LotteryRun.objects.get()
    again = create(client, day.campaign)  # the city-wide day again
    assert again.status_code == 200 and "repeat_reason" in again.content.decode()
    alone = create(client, day.campaign, day.west_junior.district)  # a district's own draw after the day
    assert alone.status_code == 200
    assert list(LotteryRun.objects.all()) == [day_run]
    assert create(client, day.campaign, reason="仪式中断，重新派位").status_code == 302
    repeat = LotteryRun.objects.exclude(pk=day_run.pk).get()
    assert repeat.supersedes == day_run and repeat.repeat_reason == "仪式中断，重新派位"


def test_only_the_city_holds_the_day(client, day):
    client.force_login(day.east_reviewer)
    response = create(client, day.campaign)
    assert response.status_code in (200, 403)
    assert not LotteryRun.objects.exists()
    client.force_login(day.city_admin)
    zone_mode = client.post(ADD, {"campaign": day.campaign.pk, "district": "", "zone": "", "mode": "zone",
                                  "title": "x", "repeat_reason": ""})
    assert zone_mode.status_code == 200 and not LotteryRun.objects.exists()


def test_a_student_moved_by_a_transfer_after_the_draw_is_not_admitted_by_it(client, day, run_jobs):
    """The input was frozen in the old district; an approved transfer then moved the student: the old
    district's seat is refused with a reason on the run, the student unchanged, the others admitted."""
    client.force_login(day.city_admin)
    create(client, day.campaign)
    run = drawn(client, LotteryRun.objects.get(), run_jobs)
    moved = LotteryEntry.objects.filter(run=run, school__isnull=False, student__district=day.east_junior.district_id
                                        ).select_related("student").first().student
    Student.objects.filter(pk=moved.pk).update(district=day.west_junior.district)  # as an approved transfer does
    before = Student.objects.filter(pk=moved.pk).values().get()

    assert step(client, run, "apply").status_code == 302
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED
    assert moved.education_id in run.error and "只能将学生录取到其所在区的学校" in run.error
    assert Student.objects.filter(pk=moved.pk).values().get() == before
    admitted = Student.objects.filter(campaign=day.campaign, state="admitted").count()
    assert admitted == LotteryEntry.objects.filter(run=run, school__isnull=False).count() - 1


def test_applying_again_after_a_lost_worker_finishes_the_rest_without_refusals(client, day, run_jobs, settings):
    """The results of 150,000 students take minutes in the "long" queue; a worker lost halfway leaves
    some admitted, and the outbox runs the job again: those count as done, the rest are admitted."""
    from apps.bj_enrollment import workflow_actions as A
    from apps.bj_enrollment.services.admissions import admit
    from apps.lowcode.models import OutboxJob

    client.force_login(day.city_admin)
    create(client, day.campaign)
    run = drawn(client, LotteryRun.objects.get(), run_jobs)
    placed = list(LotteryEntry.objects.filter(run=run, school__isnull=False).select_related("student", "school"))
    for entry in placed[: len(placed) // 2]:  # what the first attempt did before its worker was lost
        admit(None, entry.student, A.ASSIGN_BY_LOTTERY, entry.school, f"Lottery run {run.pk}", system=True)

    assert step(client, run, "apply").status_code == 302
    job = OutboxJob.objects.filter(func__endswith="apply_results").get()
    assert job.queue == "long" and settings.RQ_QUEUES["long"]["DEFAULT_TIMEOUT"] >= 3600
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED and run.error == ""
    for entry in placed:
        entry.student.refresh_from_db()
        assert (entry.student.state, entry.student.school_id) == ("admitted", entry.school_id)


def test_a_district_reads_the_city_day_it_was_drawn_in_and_changes_nothing(client, day, run_jobs, city):
    """On the day a district's staff follow the city's run: its page, progress and files; the steps are
    the city's. A district none of whose students were drawn does not see it."""
    client.force_login(day.city_admin)
    create(client, day.campaign)
    run = drawn(client, LotteryRun.objects.get(), run_jobs)

    client.force_login(day.east_reviewer)
    listed = client.get(reverse("admin:bj_enrollment_lotteryrun_changelist")).context["cl"].result_list
    assert [r.pk for r in listed] == [run.pk]
    page = client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk]))
    assert page.status_code == 200 and 'id="lottery-districts"' in page.content.decode()
    assert client.get(reverse("admin:bj_enrollment_lotteryrun_status", args=[run.pk])).status_code == 200
    assert step(client, run, "apply").status_code == 403
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DONE and run.applied_by is None
    entries = client.get(reverse("admin:bj_enrollment_lotteryentry_changelist")).context["cl"].result_list
    assert {e.student.district_id for e in entries} == {day.east_junior.district_id}  # its own students' only

    north = factories.district("110199", "北区")
    outsider = factories.staff("north", roles.DISTRICT_REVIEWER, district_=north)
    client.force_login(outsider)
    assert client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).status_code in (302, 404)
    assert not client.get(reverse("admin:bj_enrollment_lotteryrun_changelist")).context["cl"].result_list
