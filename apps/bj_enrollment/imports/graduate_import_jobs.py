"""The registry import of a district's graduates in the worker (R37): a district has hundreds of primary
schools and the registry is asked for each one, too long for a desk request.

`start` records a GraduateImport and queues `run` through the outbox (only the row's id travels);
the desk's progress page reads the row. `run` is imports/students.import_from_registry with the
requester's scope applied again: every school is asked before anything is written, so an outage
writes nothing; the row then says so and the outbox tries the job again with its back-off (a row the
outbox gives up on is marked failed).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.bj_enrollment.imports import students as students_import
from apps.bj_enrollment.registries import RegistryUnavailable
from apps.lowcode import jobs

QUEUE = "default"
LEASE = dt.timedelta(minutes=10)  # a school's answer is due well within this (registry deadline)


def start(user, campaign, district):
    """Record the import and queue it once the caller's transaction commits."""
    from apps.bj_enrollment.models import GraduateImport
    from apps.bj_enrollment.scope import scope_of

    with transaction.atomic():
        row = GraduateImport.objects.create(
            campaign=campaign, district=district, school_id=scope_of(user).school_id, requested_by=user,
        )
        jobs.enqueue(run, row.pk, queue=QUEUE)
    return row


def run(import_id: int) -> str:
    """The worker's job; returns the row's final state."""
    from apps.bj_enrollment.models import GraduateImport

    row = GraduateImport.objects.select_related("campaign", "district", "requested_by").get(pk=import_id)
    if not row.working:
        return row.state  # delivered twice: it ran already
    State = GraduateImport.State
    rows = GraduateImport.objects.filter(pk=row.pk)

    def progress(asked: int, schools: int) -> None:
        rows.update(state=State.ASKING if asked < schools else State.WRITING, schools_done=asked,
                    schools_total=schools)
        jobs.heartbeat(LEASE)

    result = students_import.import_from_registry(row.campaign, row.district, user=row.requested_by,
                                                  progress=progress)
    if result.pending:
        rows.update(state=State.PENDING, error="")
        raise RegistryUnavailable("the student registry did not answer; nothing written, the outbox tries again")
    rows.update(
        state=State.DONE if result.ok else State.REFUSED,
        created=result.created, updated=result.updated, unchanged=result.unchanged,
        conflicts=[[c.row, str(c.message)] for c in result.conflicts],
        errors=[[e.row, str(e.message)] for e in result.errors],
        error="", finished_at=timezone.now(),
    )
    return State.DONE if result.ok else State.REFUSED


@jobs.when_dead(run)
def _given_up(job) -> None:
    from apps.bj_enrollment.models import GraduateImport

    GraduateImport.objects.filter(pk=job.args[0], state__in=GraduateImport.WORKING).update(
        state=GraduateImport.State.FAILED, error=job.last_error[:2000], finished_at=timezone.now(),
    )


def visible(user, import_id: int):
    """The import if it lies in the user's scope, else None (the page answers 404)."""
    from apps.bj_enrollment.models import GraduateImport
    from apps.bj_enrollment.scope import restrict

    return restrict(GraduateImport.objects.select_related("campaign", "district"), user).filter(pk=import_id).first()
