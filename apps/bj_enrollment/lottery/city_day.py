"""The city-wide lottery day (R41): one ceremony, one seed and one run record (a LotteryRun without a
district) over every district's junior-high draw, each district its own market (lottery/student_inputs.py).

Here: which students a drawn run's participants are, applying the results through the Student workflow
(ASSIGN_BY_LOTTERY, so the route 派位 is written with the transition that decided it), and the progress
of each district for the desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import AdmissionRoute
from apps.bj_enrollment.lottery.inputs import participant_id
from apps.lowcode import jobs
from apps.lowcode.workflow.errors import WorkflowError

LEASE = dt.timedelta(minutes=10)  # between two heartbeats of a lottery job (the draw, applying results)


def city_run(campaign):
    """The campaign's current city-wide run, if any: a district's own run after it is a repeat."""
    from apps.bj_enrollment.models import LotteryRun

    return (
        LotteryRun.objects.filter(campaign=campaign, district__isnull=True, superseded_by__isnull=True)
        .order_by("-created_at")
        .first()
    )


def students_by_participant(run, participant_ids) -> dict[str, int]:
    """participant id → the student of the run's campaign (and district, unless city-wide)."""
    from apps.bj_enrollment.models import Student

    wanted = set(participant_ids)
    students = Student.objects.filter(campaign=run.campaign)
    if run.district_id is not None and run.mode != run.Mode.PRIVATE:  # a private school takes any district's
        students = students.filter(district=run.district_id)
    found = {}
    for student in students.only("pk", "id_type", "id_number").iterator(2000):
        pid = participant_id(run.campaign, student)
        if pid in wanted:
            found[pid] = student.pk
    return found


def apply_student_results(run) -> None:
    """Worker step: each placed student admitted through services/admissions.admit in its own
    transaction; a refusal (a changed state, a school taken meanwhile) is recorded on the run and the
    others still go through. Progress is saved every 200 students."""
    from apps.bj_enrollment.models import LotteryRun, School, Student
    from apps.bj_enrollment.services.admissions import admit

    if run.mode == run.Mode.PRIVATE:
        from apps.bj_enrollment.lottery import private_lottery

        private_lottery.apply_results(run)
        return
    entries = list(run.entries.filter(school__isnull=False).values_list("student_id", "school_id"))
    schools = School.objects.in_bulk({school_id for _student, school_id in entries})
    reason = _("Lottery run %(id)s") % {"id": run.pk}
    refused = []
    students = {}
    for done, (student_id, school_id) in enumerate(entries, start=1):
        if student_id not in students:  # read 200 at a time (the job says it is alive), each then locked and
            # checked again by the engine
            students = Student.objects.in_bulk([s for s, _school in entries[done - 1:done + 199]])
            jobs.heartbeat(LEASE)
        student = students[student_id]
        try:
            if student.school_id == school_id and student.admission_route == AdmissionRoute.LOTTERY:
                continue  # admitted by an earlier attempt of this job (a lost worker): done, not refused
            if student.school_id is not None:
                raise WorkflowError(_("no longer waiting for the lottery"))
            admit(None, student, actions.ASSIGN_BY_LOTTERY, schools[school_id], reason, system=True)
        except WorkflowError as exc:
            refused.append(f"{student.education_id}: {exc}")
        if done % 200 == 0:
            LotteryRun.objects.filter(pk=run.pk).update(progress=int(100 * done / len(entries)))
    LotteryRun.objects.filter(pk=run.pk).update(
        state=LotteryRun.State.APPLIED, progress=100, applied_at=timezone.now(), error="\n".join(refused)[:20000]
    )


@dataclass
class DistrictProgress:
    district: object
    participants: int
    placed: int
    admitted: int  # placed students admitted by this run's results

    @property
    def percent(self) -> int:
        return int(100 * self.admitted / self.placed) if self.placed else 100


def progress_by_district(run) -> list[DistrictProgress]:
    """Each district's part of a junior-high run: its participants, those the draw placed, and those
    whose result is applied (admitted at the drawn school)."""
    from apps.bj_enrollment.models import District

    rows = (
        run.entries.filter(student__isnull=False)
        .values("student__district")
        .annotate(
            participants=Count("pk"),
            placed=Count("pk", filter=Q(school__isnull=False)),
            admitted=Count("pk", filter=Q(school__isnull=False, student__school=F("school"))),
        )
    )
    districts = District.objects.in_bulk([row["student__district"] for row in rows])
    return sorted(
        (DistrictProgress(districts[row["student__district"]], row["participants"], row["placed"], row["admitted"])
         for row in rows),
        key=lambda line: line.district.code,
    )

