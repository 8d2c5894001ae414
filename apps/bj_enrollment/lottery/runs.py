"""A lottery run's life as services: create, commit the input, publish the seed's hash, draw, apply.

Each step checks the state it starts from under a row lock, so two reviewers clicking at once cannot
draw twice, and records who and when. The draw and the application of results run in the worker
(apps.lowcode.jobs) with their progress saved on the run. See docs/lottery.md §13.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.lottery import city_day, engine
from apps.bj_enrollment.lottery.inputs import applications_by_participant, build_input
from apps.bj_enrollment.services import notifications
from apps.lowcode import jobs
from apps.lowcode.workflow import engine as workflow
from apps.lowcode.workflow import states as workflow_states
from apps.lowcode.workflow.errors import WorkflowError

BATCH = 2000
QUEUE = "long"  # a city's draw and its results: minutes for 150,000 students (config/settings.RQ_QUEUES)
LEASE = city_day.LEASE


class RunRefused(Exception):
    """A step the run's state or the rules do not allow; the message is for the reviewer."""


def _lock(run):
    return type(run).objects.select_for_update().get(pk=run.pk)


def _expect(run, *states) -> None:
    if run.state not in states:
        state = run.get_state_display()
        raise RunRefused(_("This step is not possible while the run is “%(state)s”.") % {"state": state})


def latest_run(campaign, district, zone, school=None):
    from apps.bj_enrollment.models import LotteryRun

    return (
        LotteryRun.objects.filter(
            campaign=campaign, district=district, zone=zone, school=school, superseded_by__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


def create_run(user, *, campaign, district, zone, mode, title, repeat_reason="", school=None):
    """A new run; when one exists for the same campaign, district and zone it is superseded, with a reason.
    Without a district it is the city-wide lottery day of a junior-high campaign (lottery/city_day.py); a
    district's own run after that day is a repeat too and needs its reason."""
    from apps.bj_enrollment.lottery.city_day import city_run
    from apps.bj_enrollment.models import Campaign, District, LotteryRun

    repeat_reason = (repeat_reason or "").strip()
    if district is None and (zone is not None or mode != LotteryRun.Mode.PREFERENCE or campaign.level != "junior"):
        raise RunRefused(
            _("The city-wide lottery day is a preference lottery of a junior-high campaign, without a zone.")
        )
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one creator at a time per campaign
        if district is not None:
            District.objects.select_for_update().get(pk=district.pk)
        if mode == LotteryRun.Mode.PRIVATE and (school is None or school.district_id != getattr(district, "pk", None)):
            raise RunRefused(_("A private-school lottery is its school's, in the school's district."))
        previous = latest_run(campaign, district, zone, school)
        day = district is not None and mode != LotteryRun.Mode.PRIVATE  # a district's draw after the city's day
        earlier = previous or (city_run(campaign) if day else None)
        if earlier is not None and not repeat_reason:
            raise RunRefused(
                _(
                    "A lottery run for this campaign, district and zone exists (“%(title)s”): "
                    "give the reason for a new one."
                )
                % {"title": earlier.title}
            )
        return LotteryRun.objects.create(
            campaign=campaign,
            district=district,
            zone=zone,
            mode=mode,
            school=school if mode == LotteryRun.Mode.PRIVATE else None,
            title=title,
            supersedes=previous,
            repeat_reason=repeat_reason if earlier is not None else "",
            algorithm=engine.ALGORITHM_VERSION,
            created_by=user,
        )


def commit_input(run, user):
    """Freeze the participant list: the input and its hash become publishable, and nothing may change them."""
    with transaction.atomic():
        run = _lock(run)
        _expect(run, run.State.DRAFT)
        document, _ids = build_input(run)
        run.input_document = document
        run.input_commitment = engine.input_commitment(document)
        run.algorithm = document["algorithm"]  # bj-lottery-2 when the input binds twins (docs §14)
        run.participants = len(document["participants"])
        run.state, run.committed_by, run.committed_at = run.State.COMMITTED, user, timezone.now()
        run.save()
    return run


def commit_seed(run, user, seed: str):
    """At the ceremony: publish the seed's SHA-256; the seed itself is not kept until the draw."""
    with transaction.atomic():
        run = _lock(run)
        _expect(run, run.State.COMMITTED)
        if run.seed_commitment:
            raise RunRefused(_("The seed commitment was published already; draw with that seed."))
        run.seed_commitment = engine.seed_commitment(_checked(seed))
        run.seed_committed_at = timezone.now()
        run.save(update_fields=["seed_commitment", "seed_committed_at"])
    return run


def start_draw(run, user, seed: str):
    """The seed typed in again must hash to the published commitment; the draw then runs in the worker."""
    seed = _checked(seed)
    with transaction.atomic():
        run = _lock(run)
        _expect(run, run.State.COMMITTED)
        if not run.seed_commitment:
            raise RunRefused(_("Publish the seed commitment before the draw."))
        if engine.seed_commitment(seed) != run.seed_commitment:
            raise RunRefused(_("This seed does not match the published seed commitment."))
        run.seed, run.drawn_by, run.state = seed, user, run.State.RUNNING
        run.started_at, run.progress, run.error = timezone.now(), 0, ""
        run.save()
        jobs.enqueue(draw, run.pk, queue=QUEUE)
    return run


def _checked(seed: str) -> str:
    try:
        return engine.check_seed((seed or "").strip())
    except engine.LotteryInputError as exc:
        raise RunRefused(_("The seed must be 16 to 1024 visible ASCII characters without spaces.")) from exc


def draw(run_id: int) -> None:
    """Worker job: run the engine on the frozen input and store every participant's outcome."""
    from apps.bj_enrollment.models import LotteryEntry, LotteryRun, School

    run = LotteryRun.objects.get(pk=run_id)
    if run.state != LotteryRun.State.RUNNING:
        return
    jobs.heartbeat(LEASE)  # a lost worker is noticed in minutes, not at the long queue's timeout
    try:
        result = engine.run(run.input_document, run.seed)
        if result.input_commitment != run.input_commitment:  # the stored input was altered
            raise engine.LotteryInputError("the stored input no longer matches its commitment")
        _progress(run, 50)
        numbers = [p.participant_id for p in result.placements]
        junior = run.campaign.level == "junior"  # students, not applications (小升初, R41)
        ids = (city_day.students_by_participant if junior else applications_by_participant)(run, numbers)
        participant = "student_id" if junior else "application_id"
        schools = dict(School.objects.filter(code__in=[s.school_id for s in result.schools]).values_list("code", "pk"))
        classes = _priority_classes(run.input_document)
        entries = [
            LotteryEntry(
                run=run,
                **{participant: ids[p.participant_id]},
                participant_id=p.participant_id,
                lottery_number=p.random,
                position=p.rank,
                school_id=schools.get(p.school_id) if p.school_id else None,
                preference_rank=p.choice,
                priority_class=classes.get(p.participant_id, 0),
            )
            for p in result.placements
        ]
        with transaction.atomic():
            for start in range(0, len(entries), BATCH):
                LotteryEntry.objects.bulk_create(entries[start : start + BATCH])
            LotteryRun.objects.filter(pk=run.pk).update(
                output_document=json.loads(result.output),
                result_hash=result.result_hash,
                state=LotteryRun.State.DONE,
                progress=100,
                finished_at=timezone.now(),
            )
    except Exception as exc:  # the run records every failure; the worker's log has the trace
        LotteryRun.objects.filter(pk=run.pk).update(
            state=LotteryRun.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise


def _priority_classes(document: dict) -> dict[str, int]:
    """0 for a child in a priority category of the default tiers, 1 otherwise (as drawn)."""
    tiers = document.get("priorities", {}).get("default", [])
    tier_of = {code: n for n, tier in enumerate(tiers) for code in tier}
    return {
        p["id"]: min((tier_of[c] for c in p["categories"] if c in tier_of), default=len(tiers))
        for p in document["participants"]
    }


def _progress(run, percent: int) -> None:
    type(run).objects.filter(pk=run.pk).update(progress=percent)


def start_apply(run, user):
    """Assigned children get their school and are pre-admitted through the workflow, in the worker."""
    with transaction.atomic():
        run = _lock(run)
        _expect(run, run.State.DONE)
        if _superseded(run):
            raise RunRefused(_("A later run replaced this one; apply that run's results."))
        run.applied_by, run.progress = user, 0
        run.save(update_fields=["applied_by", "progress"])
        jobs.enqueue(apply_results, run.pk, queue=QUEUE)
    return run


def _superseded(run) -> bool:
    return type(run).objects.filter(supersedes=run).exists()


def _units(run, entries: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The placed entries by lottery unit: bound twins (docs/lottery.md §14) together, others alone."""
    if run.algorithm != engine.GROUPS_VERSION:
        return [[entry] for entry in entries]
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthMember

    group_of = dict(
        MultipleBirthMember.objects.filter(group__campaign=run.campaign, group__district=run.district).values_list(
            "application_id", "group_id"
        )
    )
    units: dict[object, list[tuple[int, int]]] = {}
    for application_id, school_id in entries:
        unit = group_of.get(application_id, ("alone", application_id))
        units.setdefault(unit, []).append((application_id, school_id))
    return list(units.values())


def apply_results(run_id: int) -> None:
    """Worker job: one transaction per application (bound twins: per group, so they are never split),
    so a refusal (a full plan, a changed state) is recorded on the run and the others still go through."""
    from apps.bj_enrollment.models import Application, LotteryRun

    run = LotteryRun.objects.get(pk=run_id)
    if run.state != LotteryRun.State.DONE:
        return
    if run.campaign.level == "junior":
        city_day.apply_student_results(run)
        return
    entries = list(run.entries.filter(school__isnull=False).values_list("application_id", "school_id"))
    waiting = workflow_states.sources(Application, actions.ASSIGN_BY_LOTTERY)  # where the lottery places from
    placed = set(  # by an earlier attempt of this job (a lost worker): done, not refused
        Application.objects.filter(lottery_entries__run=run, school=F("lottery_entries__school"))
        .exclude(state__in=waiting).values_list("pk", flat=True)
    )
    refused = []
    done = 0
    jobs.heartbeat(LEASE)
    for unit in _units(run, entries):
        if all(application_id in placed for application_id, _school in unit):
            done += len(unit)
            continue
        try:
            with transaction.atomic():
                for application_id, school_id in unit:
                    moved = Application.objects.filter(
                        pk=application_id, state__in=waiting, school__isnull=True
                    ).update(school_id=school_id)
                    application = Application.objects.get(pk=application_id)
                    if not moved:
                        raise WorkflowError(_("no longer waiting for the lottery"))
                    reason = _("Lottery run %(id)s") % {"id": run.pk}
                    workflow.apply_action(None, application, actions.ASSIGN_BY_LOTTERY, reason, system=True)
        except WorkflowError as exc:
            numbers = [application.form_number]
            if len(unit) > 1:  # the twins stay together: none of them was placed
                members = Application.objects.filter(pk__in=[member for member, _school in unit])
                numbers = sorted(members.values_list("form_number", flat=True))
            refused.append(f"{'、'.join(numbers)}: {exc}")
        done += len(unit)
        if done // 200 != (done - len(unit)) // 200:
            _progress(run, int(100 * done / len(entries)))
            jobs.heartbeat(LEASE)
    unplaced = Application.objects.filter(
        lottery_entries__run=run, lottery_entries__school__isnull=True, state__in=waiting, school__isnull=True
    )
    for application in unplaced:  # R30: the draw's outcome, told once even if this job runs again
        notifications.send_once(application, notifications.LOTTERY_NOT_ASSIGNED)
    LotteryRun.objects.filter(pk=run.pk).update(
        state=LotteryRun.State.APPLIED, progress=100, applied_at=timezone.now(), error="\n".join(refused)[:20000]
    )


def published_files(run) -> dict[str, bytes]:
    """The files docs/lottery.md §2 says are published, as far as the run has got."""
    files = {}
    if run.input_commitment:
        files["input.json"] = engine.canonical_input(run.input_document)
        commitments = {"input_commitment": run.input_commitment}
        if run.seed_commitment:
            commitments["seed_commitment"] = run.seed_commitment
        if run.result_hash:
            commitments["result_hash"] = run.result_hash
        files["commitments.json"] = engine.canonical_json(commitments)
    if run.state in (run.State.DONE, run.State.APPLIED):
        files["seed.txt"] = run.seed.encode("ascii")
        files["output.json"] = engine.canonical_json(run.output_document)
    return files
