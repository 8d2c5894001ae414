"""What the public lottery page shows (docs/lottery.md §2, §8, §13): the runs' commitments and files,
and one family's outcome. One home for what is public: the page and any other caller read it here.

Nothing here carries a name or an ID number: runs publish hashes, participant ids (HMACs), numbers
and ranks; a family's look-up needs the number and the verification code printed on its paper: the
registration form's (primary: an application) or the confirmation sheet's (junior high: a student).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.core.cache import cache

from apps.bj_enrollment.lottery import engine, runs

# A run's documents hold every participant (a city: tens of MiB): pages and look-ups never load them
# whole per request. What a look-up needs is cached per committed input, in buckets (docs: §13).
DOCUMENTS = ("input_document", "output_document")
BUCKETS = 256
CACHE_SECONDS = 7 * 24 * 3600


def public_runs(campaign):
    """The current run (not superseded) of every district and zone whose input is committed."""
    from apps.bj_enrollment.models import LotteryRun

    return (
        LotteryRun.objects.filter(campaign=campaign, superseded_by__isnull=True)
        .exclude(state=LotteryRun.State.DRAFT)
        .exclude(input_commitment="")
        .select_related("district", "zone", "school")
        .defer(*DOCUMENTS)
        .order_by("district__code", "zone__name", "pk")
    )


def public_run(run_id: int):
    """A run whose files are public: its input is committed (superseded runs stay public as evidence)."""
    from apps.bj_enrollment.models import LotteryRun

    public = LotteryRun.objects.exclude(state=LotteryRun.State.DRAFT).exclude(input_commitment="").defer(*DOCUMENTS)
    return public.filter(pk=run_id).first()


def is_drawn(run) -> bool:
    return run.state in (run.State.DONE, run.State.APPLIED)


@dataclass(frozen=True)
class SchoolCutoff:
    name: str
    seats: int
    assigned: int
    cutoff_class: int | None
    cutoff_rank: int | None
    mine: bool


@dataclass(frozen=True)
class FamilyResult:
    form_number: str
    run: object
    drawn: bool
    lottery_number: str = ""
    rank: int | None = None
    priority_class: int | None = None
    school: str = ""
    preference_rank: int | None = None
    together: int = 0  # how many bound children share this number (twins: 2)
    schools: tuple[SchoolCutoff, ...] = ()


def _matches(holder, code: str) -> bool:
    return bool(holder is not None and holder.verification_code and hmac.compare_digest(holder.verification_code, code))


def find_participant(number: str, verification_code: str):
    """The application whose registration form, or the junior-high student whose confirmation sheet,
    carries this number and verification code; else None (the same answer for an unknown number and a
    wrong code). The code is compared as printed: upper case, no 0/O or 1/I to confuse."""
    from apps.bj_enrollment.models import Application, Student

    number, code = (number or "").strip(), (verification_code or "").strip().upper()
    if not number or not code:
        return None
    application = Application.objects.filter(form_number=number).first()
    if _matches(application, code):
        return application
    student = Student.objects.filter(confirmation_number=number).select_related("campaign").first()
    return student if _matches(student, code) else None


def family_result(participant) -> FamilyResult | None:
    """The outcome of an application or a student in the latest public run that holds it: drawn, or
    waiting for the draw."""
    from apps.bj_enrollment.models import LotteryEntry, School, Student

    junior = isinstance(participant, Student)
    number = participant.confirmation_number if junior else participant.form_number
    entry = (
        LotteryEntry.objects.filter(**{"student" if junior else "application": participant},
                                    run__superseded_by__isnull=True)
        .select_related("run", "run__district", "run__zone", "run__school", "school")
        .defer(*(f"run__{name}" for name in DOCUMENTS))
        .order_by("-run__finished_at")
        .first()
    )
    # a student not placed by a private school's lottery then waits for the public draw committed after it
    waiting = _waiting_run(participant, junior) if entry is None or junior else None
    if waiting is not None and (entry is None or waiting.committed_at > entry.run.finished_at):
        return FamilyResult(form_number=number, run=waiting, drawn=False)
    if entry is None:
        return None
    run = entry.run
    listed = _listed_schools(run, entry.participant_id) or []
    names = dict(School.objects.filter(code__in=listed).values_list("code", "name"))
    outcomes = _school_outcomes(run)
    schools = tuple(
        SchoolCutoff(
            name=names.get(code, code),
            seats=outcomes[code]["seats"],
            assigned=outcomes[code]["assigned"],
            cutoff_class=(outcomes[code]["cutoff"] or {}).get("class"),
            cutoff_rank=(outcomes[code]["cutoff"] or {}).get("rank"),
            mine=entry.school is not None and entry.school.code == code,
        )
        for code in listed
        if code in outcomes
    )
    together = 1
    if run.algorithm == engine.GROUPS_VERSION:  # bound twins share one number (docs/lottery.md §14)
        together = run.entries.filter(lottery_number=entry.lottery_number).count()
    return FamilyResult(
        form_number=number,
        run=run,
        drawn=True,
        lottery_number=entry.lottery_number,
        rank=entry.position,
        priority_class=entry.priority_class,
        school=entry.school.name if entry.school else "",
        preference_rank=entry.preference_rank,
        together=together,
        schools=schools,
    )


def _bucket(participant_id: str) -> int:
    return hashlib.sha256(participant_id.encode()).digest()[0] % BUCKETS


def _listed_schools(run, participant_id: str) -> list[str] | None:
    """The schools the participant listed (preference mode) or every school of the draw (zone mode);
    None when the participant is not in the run's frozen input. Read from the cache, filled from the
    input document once per committed input."""
    prefix = f"lottery-public:{run.pk}:{run.input_commitment}"
    bucket = cache.get(f"{prefix}:{_bucket(participant_id)}")
    if bucket is None:
        document = type(run).objects.filter(pk=run.pk).values_list("input_document", flat=True).first() or {}
        zone = [school["id"] for school in document.get("schools", [])] if document.get("mode") == "zone" else None
        buckets: dict[int, dict] = {n: {} for n in range(BUCKETS)}
        for person in document.get("participants", []):
            buckets[_bucket(person["id"])][person["id"]] = zone if zone is not None else person["preferences"]
        cache.set_many({f"{prefix}:{n}": listed for n, listed in buckets.items()}, CACHE_SECONDS)
        bucket = buckets[_bucket(participant_id)]
    return bucket.get(participant_id)


def _school_outcomes(run) -> dict[str, dict]:
    """School id → its output entry (seats, assigned, cutoff): only that part of the output is read."""
    key = f"lottery-public:{run.pk}:{run.result_hash}:schools"
    outcomes = cache.get(key)
    if outcomes is None:
        schools = type(run).objects.filter(pk=run.pk).values_list("output_document__schools", flat=True).first()
        outcomes = {school["id"]: school for school in schools or []}
        cache.set(key, outcomes, CACHE_SECONDS)
    return outcomes


def _waiting_run(participant, junior: bool):
    """The latest committed, not yet drawn run whose frozen input holds the participant: its district's
    (an application's, a student's), the city-wide day (a run without a district) or a private school's
    lottery (a student may apply to any district's private school)."""
    from django.db.models import Q

    from apps.bj_enrollment.lottery.inputs import participant_id
    from apps.bj_enrollment.models import LotteryRun

    where = Q(district=participant.district_id)
    if junior:
        where |= Q(district__isnull=True) | Q(mode=LotteryRun.Mode.PRIVATE)
    candidates = (
        LotteryRun.objects.filter(state__in=[LotteryRun.State.COMMITTED, LotteryRun.State.RUNNING],
                                  superseded_by__isnull=True, campaign=participant.campaign_id)
        .filter(where)
        .select_related("campaign", "district", "zone", "school")
        .defer(*DOCUMENTS)
        .order_by("-committed_at")
    )
    for run in candidates:
        pid = participant_id(run.campaign, participant if junior else participant.child)
        if _listed_schools(run, pid) is not None:
            return run
    return None


def files(run) -> dict[str, bytes]:
    return runs.published_files(run)
