import logging
import uuid

from apps.lowcode.messaging.backends import BaseBackend, Sms
from apps.lowcode.messaging.masking import mask_recipient

logger = logging.getLogger("apps.lowcode.messaging.sms")


class ConsoleBackend(BaseBackend):
    """Development: writes the message to the log, the mobile masked."""

    def send(self, sms: Sms) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.info("SMS to %s (%s): %s", mask_recipient(sms.to), message_id, sms.text)
        return message_id
