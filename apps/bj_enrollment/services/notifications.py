"""Messages to a family's registered mobile (R12, R13, R30), through the low-code messaging layer."""

import base64
import hashlib
import json
import logging
import secrets

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from apps.lowcode.jobs import enqueue

logger = logging.getLogger(__name__)
REGISTERED = "registered"  # the form number, sent at registration (R13, R30)
LOTTERY_NOT_ASSIGNED = "lottery_not_assigned"  # the draw left the child without a seat (R30)


def send_code(mobile: str, code: str, ttl_seconds: int) -> None:
    """One-time codes go straight to the SMS adapter in a job, outside the message log: a code is a
    secret, and an hour-old one is worthless to retry. The job's arguments name a sealed parcel in
    the cache, never the code: job arguments are stored in Redis, shown on dashboards and logged."""
    minutes = max(1, ttl_seconds // 60)
    parcel = secrets.token_urlsafe(16)
    sealed = _fernet().encrypt(json.dumps({"to": mobile, "code": code, "minutes": minutes}).encode())
    cache.set(_parcel_key(parcel), sealed, ttl_seconds)
    enqueue(deliver_code, parcel)


def deliver_code(parcel: str) -> None:
    from apps.lowcode.masking import mask_recipient
    from apps.lowcode.messaging.backends import Sms, SmsError, get_backend

    sealed = cache.get(_parcel_key(parcel))
    cache.delete(_parcel_key(parcel))  # one delivery per parcel, even if the job is replayed
    if sealed is None:
        logger.warning("SMS code parcel %s expired before delivery", parcel[:6])
        return
    data = json.loads(_fernet().decrypt(sealed))
    text = _("【Beijing enrollment】Your verification code is %(code)s, valid for %(minutes)d minutes.") % {
        "code": data["code"],
        "minutes": data["minutes"],
    }
    template = settings.SMS_SETTINGS.get("code_template", "")
    try:
        get_backend().send(Sms(to=data["to"], text=text, template_code=template, params={"code": data["code"]}))
    except SmsError as exc:
        logger.warning("SMS code to %s not sent: %s", mask_recipient(data["to"]), exc)


def _parcel_key(parcel: str) -> str:
    return f"sms-code-parcel:{parcel}"


def _fernet() -> Fernet:
    """Encrypted at rest in the cache too: whoever reads Redis does not read codes."""
    key = hashlib.sha256(f"sms-code-parcel:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def send_event(application, event: str) -> list:
    """Non-workflow events (e.g. "registered") through the administrators' message templates."""
    from apps.lowcode.messaging import sending

    return sending.send_event(application, event)


def send_once(application, event: str) -> bool:
    """An event the family hears about once however often its job runs (reminders, the lottery's
    "not assigned"): the message log is the record. The application's row lock keeps two runs from
    both sending. Returns whether anything was queued now."""
    from apps.lowcode.messaging.models import MessageLog

    with transaction.atomic():
        list(type(application).objects.select_for_update().filter(pk=application.pk).values_list("pk"))
        sent = MessageLog.objects.filter(
            document_type=ContentType.objects.get_for_model(application), document_id=str(application.pk), event=event
        )
        if sent.exists():
            return False
        return bool(send_event(application, event))
