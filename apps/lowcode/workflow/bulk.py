"""Bulk workflow actions in the worker: queue the ids, then apply the action document by document
with every engine check, saving progress as it goes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.lowcode import jobs
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.errors import WorkflowError
from apps.lowcode.workflow.models import BulkTransition

CHUNK = 200  # documents loaded at once; progress is saved after each chunk


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
    bulk = BulkTransition.objects.select_related("requested_by", "content_type").get(pk=bulk_id)
    if bulk.state != BulkTransition.State.QUEUED:
        return
    BulkTransition.objects.filter(pk=bulk.pk).update(state=BulkTransition.State.RUNNING)
    model, user = bulk.content_type.model_class(), bulk.requested_by
    done = applied = 0
    refusals = []
    try:
        for start in range(0, len(bulk.object_ids), CHUNK):
            chunk = bulk.object_ids[start : start + CHUNK]
            documents = model._default_manager.in_bulk(chunk)
            for pk in chunk:
                document = documents.get(model._meta.pk.to_python(pk))
                done += 1
                if document is None:
                    refusals.append([pk, pk, _("This document no longer exists.")])
                    continue
                try:
                    engine.apply_action(user, document, bulk.action, bulk.reason)
                    applied += 1
                except WorkflowError as exc:
                    refusals.append([pk, str(document), str(exc)])
            BulkTransition.objects.filter(pk=bulk.pk).update(done=done, applied=applied, refusals=refusals)
    except Exception as exc:
        BulkTransition.objects.filter(pk=bulk.pk).update(
            state=BulkTransition.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    BulkTransition.objects.filter(pk=bulk.pk).update(state=BulkTransition.State.DONE, finished_at=timezone.now())
