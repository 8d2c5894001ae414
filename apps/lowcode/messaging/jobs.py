"""The background job that sends one logged message, with the retries RQ gives it."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from rq import get_current_job

from apps.lowcode.messaging.backends import Sms, SmsError, get_backend
from apps.lowcode.messaging.models import Channel, MessageLog, Status

# Attempts when jobs run in-process (no RQ, so no delayed retries): one after another.
IN_PROCESS_ATTEMPTS = 3


def deliver(log_id: int) -> None:
    job = get_current_job()
    if job is not None:
        if not _attempt(log_id, final=not job.retries_left):
            raise SmsError(f"message {log_id} not sent; RQ retries it")  # rq.Retry schedules the next try
        return
    for attempt in range(1, IN_PROCESS_ATTEMPTS + 1):
        if _attempt(log_id, final=attempt == IN_PROCESS_ATTEMPTS):
            return


def _attempt(log_id: int, *, final: bool) -> bool:
    """One try under the row's lock (so a retry from the desk cannot send twice); True when done."""
    with transaction.atomic():
        log = MessageLog.objects.select_for_update().filter(pk=log_id).first()
        if log is None or log.status != Status.QUEUED:
            return True
        log.attempts += 1
        try:
            log.provider_message_id = send(log)
        except (SmsError, smtplib.SMTPException, OSError) as exc:
            log.error = str(exc)[:2000]
            if final:
                log.status = Status.FAILED
            log.save(update_fields=["attempts", "error", "status", "updated_at"])
            return final
        log.status, log.error, log.sent_at = Status.SENT, "", timezone.now()
        log.save(update_fields=["attempts", "provider_message_id", "status", "error", "sent_at", "updated_at"])
        return True


def send(log: MessageLog) -> str:
    if log.channel == Channel.EMAIL:
        send_mail(log.subject, log.text, settings.DEFAULT_FROM_EMAIL, [log.recipient])
        return ""
    sms = Sms(
        to=log.recipient,
        text=log.text,
        template_code=log.provider_template_code,
        params=dict(log.provider_params or {}),
    )
    return get_backend().send(sms)
