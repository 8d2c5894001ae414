import logging
import uuid

from django.core.cache import cache

from apps.lowcode.masking import mask_recipient
from apps.lowcode.messaging.backends import BaseBackend, Sms

logger = logging.getLogger("apps.lowcode.messaging.sms")
KEEP_KEYS = 7 * 24 * 3600


class ConsoleBackend(BaseBackend):
    """Development: writes the message to the log, the mobile masked; remembers keys in the cache."""

    def send(self, sms: Sms) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        if sms.key:
            cache.set(f"sms-console-accepted:{sms.key}", message_id, KEEP_KEYS)
        logger.info("SMS to %s (%s): %s", mask_recipient(sms.to), message_id, sms.text)
        return message_id

    def accepted(self, sms: Sms, sent_on) -> bool:
        return cache.get(f"sms-console-accepted:{sms.key}") is not None
