"""A private school's lottery (公民同招, R43): the same engine, run record and publication as every draw.

Input: the school's live applicants (students the workflow lets be admitted to a private school, no
school yet), one school with its plan's seats less those admitted already. Applying the result: a
placed student is admitted through services/admissions.admit (ADMIT_PRIVATE, so route 民办 is written
with its transition), its other private applications end and its public preferences are withdrawn
(services/preferences.withdraw) in the same transaction; an applicant not placed is marked not admitted
and simply continues on the public route (its state and preferences untouched)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.lottery import engine
from apps.bj_enrollment.lottery.inputs import participant_id
from apps.lowcode.workflow import states
from apps.lowcode.workflow.errors import WorkflowError


def build_input(run) -> tuple[dict, dict[str, int]]:
    from apps.bj_enrollment.models import PrivateApplication, SchoolPlan, Student

    school = run.school
    if school is None or school.ownership != "private" or not school.offers_junior:
        raise engine.LotteryInputError(_("A private-school lottery needs its private junior high school."))
    plan = SchoolPlan.objects.filter(campaign=run.campaign, school=school).values_list("seats", flat=True).first()
    if plan is None:
        raise engine.LotteryInputError(_("No plan for: %(schools)s.") % {"schools": school.name})
    taken = Student.objects.filter(campaign=run.campaign, school=school).exclude(state="withdrawn").count()
    applicants = list(
        Student.objects.filter(
            campaign=run.campaign,
            private_applications__school=school,
            private_applications__state=PrivateApplication.State.APPLIED,
            state__in=states.sources(Student, actions.ADMIT_PRIVATE),
            school__isnull=True,
        )
        .distinct()
        .order_by("education_id")
        .only("pk", "id_type", "id_number", "education_id")
    )
    participants, ids = [], {}
    for student in applicants:
        pid = participant_id(run.campaign, student)
        participants.append({"id": pid, "preferences": [school.code], "categories": []})
        ids[pid] = student.pk
    document = {
        "label": run.title[: engine.LABEL_MAX],
        "mode": "preference",  # one school listed by each applicant: the engine's preference lottery
        "schools": [{"id": school.code, "seats": max(plan - taken, 0)}],
        "participants": participants,
        "priorities": {},
    }
    return engine.normalise_input(document), ids


def apply_results(run) -> None:
    """Worker step: one transaction per applicant; refusals are recorded on the run."""
    from apps.bj_enrollment.models import LotteryRun, PrivateApplication, Student
    from apps.bj_enrollment.services import preferences
    from apps.bj_enrollment.services.admissions import admit

    reason = _("Private-school lottery run %(id)s") % {"id": run.pk}
    refused = []
    entries = list(run.entries.values_list("student_id", "school_id"))
    for student_id, school_id in entries:
        student = Student.objects.get(pk=student_id)
        applications = PrivateApplication.objects.filter(student=student, state=PrivateApplication.State.APPLIED)
        try:
            with transaction.atomic():
                if school_id is None:  # not admitted: continues on the public route
                    applications.filter(school=run.school).update(
                        state=PrivateApplication.State.NOT_ADMITTED, updated_at=timezone.now())
                    continue
                if student.school_id is not None:
                    raise WorkflowError(_("no longer waiting for the lottery"))
                admit(None, student, actions.ADMIT_PRIVATE, run.school, reason, system=True)
                for application in applications.select_for_update():  # saved one by one: history kept
                    admitted = application.school_id == run.school_id
                    application.state = (PrivateApplication.State.ADMITTED if admitted
                                         else PrivateApplication.State.WITHDRAWN)
                    application.save(update_fields=["state", "updated_at"])
                preferences.withdraw(student)  # a private admission withdraws the public preferences
        except WorkflowError as exc:
            refused.append(f"{student.education_id}: {exc}")
    LotteryRun.objects.filter(pk=run.pk).update(
        state=LotteryRun.State.APPLIED, progress=100, applied_at=timezone.now(), error="\n".join(refused)[:20000]
    )
