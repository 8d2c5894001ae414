"""Bulk workflow actions in the worker: queue the ids, then apply the action document by document
with every engine check, each document's outcome saved with the action itself.

The batch's `done` is its checkpoint, advanced in the transaction that acts on that document. A
worker lost mid-batch leaves the outbox row behind; the sweeper runs the job again and it resumes at
the next document. When the outbox gives up, the batch is marked failed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.lowcode import jobs
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.errors import WorkflowError
from apps.lowcode.workflow.models import BULK_STALLED_AFTER, BulkTransition

CHUNK = 200  # documents loaded at once
STUCK_AFTER = dt.timedelta(hours=1)
State = BulkTransition.State


def queue(user, model, ids: list, action: str, reason: str) -> BulkTransition:
    bulk = BulkTransition.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        action=action,
        reason=reason,
        requested_by=user,
        object_ids=[str(pk) for pk in ids],
        total=len(ids),
    )
    jobs.enqueue(run, bulk.pk)
    return bulk


def run(bulk_id: int) -> None:
    bulk = _start(bulk_id)
    if bulk is None:
        return
    model, user = bulk.content_type.model_class(), bulk.requested_by
    try:
        for start in range(bulk.done, bulk.total, CHUNK):
            jobs.heartbeat(BULK_STALLED_AFTER)
            chunk = bulk.object_ids[start : start + CHUNK]
            documents = model._default_manager.in_bulk(chunk)
            for offset, pk in enumerate(chunk):
                document = documents.get(model._meta.pk.to_python(pk))
                if not _act(bulk, start + offset, pk, document, user):
                    return  # another run of this batch took over
    except Exception as exc:
        BulkTransition.objects.filter(pk=bulk.pk, state=State.RUNNING).update(
            state=State.INTERRUPTED, error=str(exc)[:2000]
        )
        raise  # the outbox tries the job again, which resumes from the checkpoint
    BulkTransition.objects.filter(pk=bulk.pk, state=State.RUNNING).update(
        state=State.DONE, error="", finished_at=timezone.now()
    )


def requeue_stuck(older_than: dt.timedelta = STUCK_AFTER) -> int:
    """For the scheduler, a safety net under the outbox: run again batches without progress for
    `older_than` (e.g. from before the outbox). A second run is harmless: each document is acted on
    only at the checkpoint, under the batch's lock."""
    cutoff = timezone.now() - older_than
    unfinished = BulkTransition.objects.filter(state__in=[State.QUEUED, State.RUNNING, State.INTERRUPTED])
    ids = list(
        unfinished.filter(Q(progressed_at__lt=cutoff) | Q(progressed_at=None, created_at__lt=cutoff)).values_list(
            "pk", flat=True
        )
    )
    BulkTransition.objects.filter(pk__in=ids).update(progressed_at=timezone.now())
    for bulk_id in ids:
        jobs.enqueue(run, bulk_id)
    return len(ids)


@jobs.when_dead(run)
def _given_up(job) -> None:
    """The outbox stopped trying: say so on the batch, with how far it got."""
    batch = BulkTransition.objects.filter(pk=job.args[0]).first()
    if batch is None or batch.state == State.DONE:
        return
    batch.state, batch.finished_at = State.FAILED, timezone.now()
    batch.error = _(
        "The batch stopped after %(done)d of %(total)d documents and could not be resumed (%(error)s). "
        "The documents not processed were not changed."
    ) % {"done": batch.done, "total": batch.total, "error": job.last_error}
    batch.save(update_fields=["state", "error", "finished_at"])


def _start(bulk_id: int) -> BulkTransition | None:
    with transaction.atomic():
        found = BulkTransition.objects.select_for_update().select_related("requested_by", "content_type")
        bulk = found.get(pk=bulk_id)
        if bulk.state in (State.DONE, State.FAILED):
            return None
        if bulk.state != State.QUEUED:  # it ran before and was interrupted
            bulk.resumed += 1
        bulk.state, bulk.progressed_at = State.RUNNING, timezone.now()
        bulk.save(update_fields=["state", "resumed", "progressed_at"])
    return bulk


def _act(bulk: BulkTransition, position: int, pk: str, document, user) -> bool:
    """Apply the action to one document and advance the checkpoint in the same transaction; False
    when the checkpoint is no longer at `position` (another run got there first)."""
    for attempt in range(engine.DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                batch = BulkTransition.objects.select_for_update().only("state", "done", "applied").get(pk=bulk.pk)
                if batch.state != State.RUNNING or batch.done != position:
                    return False
                refusal = None
                if document is None:
                    refusal = [pk, pk, _("This document no longer exists.")]
                else:
                    try:
                        engine.apply_action(user, document, bulk.action, bulk.reason)
                    except WorkflowError as exc:
                        refusal = [pk, str(document), str(exc)]
                fields = {"done": position + 1, "applied": batch.applied, "progressed_at": timezone.now()}
                if refusal is None:
                    fields["applied"] += 1
                else:
                    fields["refusals"] = [*bulk.refusals, refusal]
                BulkTransition.objects.filter(pk=bulk.pk).update(**fields)
        except OperationalError as exc:  # a deadlock undid the whole transaction: act again
            if attempt == engine.DEADLOCK_RETRIES or not engine._is_deadlock(exc):
                raise
            continue
        bulk.refusals = fields.get("refusals", bulk.refusals)
        return True
    return False
