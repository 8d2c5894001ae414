"""The background job that sends one logged message, with the retries RQ gives it.

A message is never sent twice: before the provider call it is committed as "sending" with its
idempotency key and an attempt row; the call itself runs outside any transaction. A message found
"sending" later was interrupted mid-call (the worker died, or no answer came back), so the provider
is asked whether it accepted that key: yes → sent, no → sent again, cannot tell → "unknown" for a
person to decide.
"""

from __future__ import annotations

import smtplib
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from rq import get_current_job

from apps.lowcode import jobs
from apps.lowcode.messaging.backends import Sms, SmsError, SmsOutcomeUnknown, get_backend
from apps.lowcode.messaging.models import Channel, MessageAttempt, MessageLog, Status

Outcome = MessageAttempt.Outcome
# Attempts when jobs run in-process (no RQ, so no delayed retries): one after another.
IN_PROCESS_ATTEMPTS = 3


def deliver(log_id: int) -> None:
    if _still_held(log_id):
        return
    job = get_current_job()
    if job is not None:
        if not _attempt(log_id, final=not job.retries_left):
            raise SmsError(f"message {log_id} not sent; RQ retries it")  # rq.Retry schedules the next try
        return
    for attempt in range(1, IN_PROCESS_ATTEMPTS + 1):
        if _attempt(log_id, final=attempt == IN_PROCESS_ATTEMPTS):
            return


def _still_held(log_id: int) -> bool:
    """A held message waits for its time, and the app's rule is asked again when that time comes: a
    date moved later since the message was logged (R20's results date, for one) holds it longer.
    Queued again early (a retry, the safety net) it waits too. True when it went back to waiting."""
    from apps.lowcode.messaging.sending import enqueue_delivery, hold_until

    log = MessageLog.objects.filter(pk=log_id, status=Status.QUEUED, not_before__isnull=False).first()
    if log is None:
        return False
    until = max(filter(None, (log.not_before, hold_until(log))))
    if until <= timezone.now():
        return False
    if until != log.not_before:
        MessageLog.objects.filter(pk=log_id, status=Status.QUEUED).update(not_before=until, updated_at=timezone.now())
    enqueue_delivery(log_id, not_before=until)
    return True


@jobs.when_dead(deliver)
def _given_up(job) -> None:
    """The outbox stopped trying: a queued message failed; one interrupted mid-call is for a person."""
    error, now = f"delivery job given up: {job.last_error}"[:2000], timezone.now()
    for before, after in ((Status.QUEUED, Status.FAILED), (Status.SENDING, Status.UNKNOWN)):
        MessageLog.objects.filter(pk=job.args[0], status=before).update(status=after, error=error, updated_at=now)


def _attempt(log_id: int, *, final: bool) -> bool:
    """One try; True when nothing more is to be done (sent, failed for good, or left to a person)."""
    status = MessageLog.objects.filter(pk=log_id).values_list("status", flat=True).first()
    if status == Status.SENDING:
        status = _check(log_id)
    if status != Status.QUEUED:
        return True
    started = _start(log_id)
    if started is None:
        return True
    log, attempt = started
    try:
        message_id = send(log)
    except SmsOutcomeUnknown as exc:  # stays "sending": the next try asks the provider first
        _record(attempt, Outcome.NO_ANSWER, str(exc))
        if final:
            return _check(log_id) != Status.QUEUED or _refused(log, exc, final=True)
        return False
    except (SmsError, smtplib.SMTPException, OSError) as exc:
        with transaction.atomic():
            _record(attempt, Outcome.REFUSED, str(exc))
            return _refused(log, exc, final=final)
    with transaction.atomic():
        _record(attempt, Outcome.ACCEPTED, message_id)
        now = timezone.now()
        MessageLog.objects.filter(pk=log.pk).update(
            status=Status.SENT, provider_message_id=message_id, error="", sent_at=now, updated_at=now
        )
    return True


def _start(log_id: int) -> tuple[MessageLog, MessageAttempt] | None:
    """Commit "sending", the key and the attempt before the call: a crash during it leaves this trace."""
    with transaction.atomic():
        log = MessageLog.objects.select_for_update().filter(pk=log_id).first()
        if log is None or log.status != Status.QUEUED:
            return None
        log.status, log.attempts = Status.SENDING, log.attempts + 1
        log.idempotency_key = log.idempotency_key or uuid.uuid4().hex
        log.save(update_fields=["status", "attempts", "idempotency_key", "updated_at"])
        return log, _new_attempt(log)


def _check(log_id: int) -> str:
    """Ask the provider about a message left "sending"; returns the status it then has."""
    log = MessageLog.objects.filter(pk=log_id).first()
    if log is None or log.status != Status.SENDING:
        return log.status if log else ""
    last = log.attempt_log.order_by("-started_at", "-pk").first()
    sent_on = timezone.localdate(last.started_at if last else log.updated_at)
    answer = get_backend().accepted(_sms(log), sent_on) if log.channel == Channel.SMS else None
    with transaction.atomic():
        log = MessageLog.objects.select_for_update().get(pk=log_id)
        if log.status != Status.SENDING:
            return log.status
        attempt = _new_attempt(log)
        if answer is True:
            _record(attempt, Outcome.CONFIRMED, f"key {log.idempotency_key}")
            log.status, log.error, log.sent_at = Status.SENT, "", timezone.now()
        elif answer is False:
            _record(attempt, Outcome.NOT_RECEIVED, f"key {log.idempotency_key}")
            log.status = Status.QUEUED
        else:
            _record(attempt, Outcome.UNKNOWN, f"key {log.idempotency_key}")
            log.status = Status.UNKNOWN
            log.error = f"interrupted mid-call; the provider cannot say whether it took {log.idempotency_key}"
        log.save(update_fields=["status", "error", "sent_at", "updated_at"])
        return log.status


def _refused(log: MessageLog, exc: Exception, *, final: bool) -> bool:
    MessageLog.objects.filter(pk=log.pk).update(
        status=Status.FAILED if final else Status.QUEUED, error=str(exc)[:2000], updated_at=timezone.now()
    )
    return final


def _new_attempt(log: MessageLog) -> MessageAttempt:
    return MessageAttempt.objects.create(log=log, number=log.attempt_log.count() + 1)


def _record(attempt: MessageAttempt, outcome: str, detail: str) -> None:
    attempt.outcome, attempt.detail, attempt.finished_at = outcome, detail[:2000], timezone.now()
    attempt.save(update_fields=["outcome", "detail", "finished_at"])


def _sms(log: MessageLog) -> Sms:
    return Sms(
        to=log.recipient,
        text=log.text,
        template_code=log.provider_template_code,
        params=dict(log.provider_params or {}),
        key=log.idempotency_key,
    )


def send(log: MessageLog) -> str:
    if log.channel == Channel.EMAIL:
        send_mail(log.subject, log.text, settings.DEFAULT_FROM_EMAIL, [log.recipient])
        return ""
    return get_backend().send(_sms(log))
