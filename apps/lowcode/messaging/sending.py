"""Queue and re-send messages: the only places MessageLog rows are created or put back in the queue.

Messages are rendered while the document is at hand (inside the caller's transaction) and leave in
a background job after commit, so a rolled-back transition never texts anyone. A message the owning
app's rule holds (`registry.Provider.not_before`) is rendered now, logged with its time and left to
the outbox's sweeper until then; it speaks for the document as it was, so the document's next
workflow transition before that time drops it (a decision reversed before its date is never told).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from apps.lowcode import jobs
from apps.lowcode.messaging import rendering
from apps.lowcode.messaging.models import MessageLog, MessageTemplate, Status
from apps.lowcode.messaging.registry import provider_for

logger = logging.getLogger(__name__)
STUCK_AFTER = dt.timedelta(hours=1)


def transition_events(record) -> list[str]:
    """The events a workflow transition raises: its action, then the state it enters."""
    return [f"action:{record.action}", f"state:{record.to_state}"]


def send_event(document: models.Model, event: str, *, record=None) -> list[MessageLog]:
    """Queue the active templates of `event` for the document's stakeholders; they are sent after commit.

    A template that fails to render is logged as failed with its error; nothing is raised to the
    person whose action caused the event.
    """
    return send_events(document, [event], record=record)


def send_transition(document: models.Model, record) -> list[MessageLog]:
    _drop_held(ContentType.objects.get_for_model(document), document)
    return send_events(document, transition_events(record), record=record)


def send_events(document: models.Model, events: list[str], *, record=None) -> list[MessageLog]:
    document_type = ContentType.objects.get_for_model(document)
    templates = list(
        MessageTemplate.objects.filter(document_type=document_type, event__in=events, active=True).order_by("pk")
    )
    if not templates:
        return []
    provider = provider_for(type(document))
    if provider is None:
        logger.warning("No message audience registered for %s; events %s not sent", document_type, events)
        return []
    with translation.override(settings.LANGUAGE_CODE):  # messages speak the site's language, not the desk's
        audience = provider.audience(document)
        logs = []
        with transaction.atomic():
            for template in templates:
                context = rendering.merge(audience.context, rendering.event_context(template.event, record))
                not_before = provider.not_before(document, template.event) if provider.not_before else None
                for recipient in dict.fromkeys(audience.recipients.get(template.channel, ())):
                    if recipient:
                        logs.append(_log(document, document_type, template, recipient, context, not_before))
    for log in logs:
        if log.status == Status.QUEUED:
            enqueue_delivery(log.pk, not_before=log.not_before)
    return logs


def hold_until(log: MessageLog) -> dt.datetime | None:
    """The app's rule (`registry.Provider.not_before`) for a logged message, asked again now."""
    model = log.document_type.model_class()
    provider = provider_for(model) if model is not None else None
    if provider is None or provider.not_before is None:
        return None
    document = model._default_manager.filter(pk=log.document_id).first()
    return provider.not_before(document, log.event) if document is not None else None


def _drop_held(document_type, document) -> None:
    now = timezone.now()
    MessageLog.objects.filter(
        document_type=document_type, document_id=str(document.pk), status=Status.QUEUED, not_before__gt=now
    ).update(status=Status.DROPPED, error="the document moved on before its time", updated_at=now)


def _log(document, document_type, template, recipient, context, not_before=None) -> MessageLog:
    log = MessageLog(
        not_before=not_before,
        document_type=document_type,
        document_id=str(document.pk),
        document_label=str(document)[:200],
        template=template,
        event=template.event,
        channel=template.channel,
        recipient=recipient,
        provider_template_code=template.provider_template_code,
    )
    try:
        log.text = rendering.render(template.text, context)
        log.subject = rendering.render(template.subject, context) if template.subject else ""
        log.provider_params = {name: str(context[name]) for name in template.param_names()}
    except Exception:  # an administrator's template: record why, never raise to the user
        problem = rendering.template_problem(template.text, context) or rendering.template_problem(
            template.subject, context
        )
        log.status = Status.FAILED
        log.error = f"template: {problem or 'provider parameters'}"
    log.save()
    return log


def enqueue_delivery(log_id: int, *, not_before: dt.datetime | None = None) -> None:
    from apps.lowcode.messaging.jobs import deliver

    if settings.JOBS_IN_PROCESS:
        jobs.enqueue(deliver, log_id, not_before=not_before)
    else:
        from rq import Retry

        intervals = list(getattr(settings, "MESSAGING_RETRY_INTERVALS", [60, 600]))
        jobs.enqueue(deliver, log_id, retry=Retry(max=len(intervals), interval=intervals), not_before=not_before)


def requeue_stuck(older_than: dt.timedelta = STUCK_AFTER) -> int:
    """For the scheduler, a safety net under the outbox: queue again messages still "queued" long
    after they were written (e.g. from before the outbox). A second delivery job is harmless: only
    one of them can mark the message "sending"."""
    now = timezone.now()
    due = models.Q(not_before__isnull=True) | models.Q(not_before__lte=now)  # a held one has its own job
    ids = list(
        MessageLog.objects.filter(due, status=Status.QUEUED, updated_at__lt=now - older_than).values_list(
            "pk", flat=True
        )
    )
    MessageLog.objects.filter(pk__in=ids, status=Status.QUEUED).update(updated_at=now)
    for log_id in ids:
        enqueue_delivery(log_id)
    return len(ids)


def resend_unknown(logs: models.QuerySet[MessageLog]) -> int:
    """A person checked with the provider that messages of unknown outcome were not delivered: queue
    them again (same idempotency key); returns how many. Other messages are left alone."""
    with transaction.atomic():
        ids = list(logs.filter(status=Status.UNKNOWN).select_for_update().values_list("pk", flat=True))
        MessageLog.objects.filter(pk__in=ids).update(status=Status.QUEUED, error="")
    for log_id in ids:
        enqueue_delivery(log_id)
    return len(ids)


def retry_failed(logs: models.QuerySet[MessageLog]) -> int:
    """Put failed messages back in the queue; returns how many. Sent or queued ones are left alone."""
    with transaction.atomic():
        ids = list(logs.filter(status=Status.FAILED).select_for_update().values_list("pk", flat=True))
        MessageLog.objects.filter(pk__in=ids).update(status=Status.QUEUED, error="")
    for log_id in ids:
        enqueue_delivery(log_id)
    return len(ids)
