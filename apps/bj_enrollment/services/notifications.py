"""Messages to a family's registered mobile (R12, R13, R30), through the low-code messaging layer."""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from apps.lowcode.jobs import enqueue

logger = logging.getLogger(__name__)


def send_code(mobile: str, code: str, ttl_seconds: int) -> None:
    """One-time codes go straight to the SMS adapter in a job, outside the message log: a code is a
    secret, and an hour-old one is worthless to retry."""
    text = _("【Beijing enrollment】Your verification code is %(code)s, valid for %(minutes)d minutes.") % {
        "code": code,
        "minutes": max(1, ttl_seconds // 60),
    }
    enqueue(deliver_code, mobile, text, code)


def deliver_code(mobile: str, text: str, code: str) -> None:
    from apps.lowcode.messaging.backends import Sms, SmsError, get_backend
    from apps.lowcode.messaging.masking import mask_recipient

    template = settings.SMS_SETTINGS.get("code_template", "")
    try:
        get_backend().send(Sms(to=mobile, text=text, template_code=template, params={"code": code}))
    except SmsError as exc:
        logger.warning("SMS code to %s not sent: %s", mask_recipient(mobile), exc)


def send_event(application, event: str) -> None:
    """Non-workflow events (e.g. "registered") through the administrators' message templates."""
    from apps.lowcode.messaging import sending

    sending.send_event(application, event)
