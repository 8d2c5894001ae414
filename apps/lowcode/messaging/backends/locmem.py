import itertools

from apps.lowcode.messaging.backends import BaseBackend, Sms, SmsError

# Like django.core.mail.outbox: every message "sent" in this process, for tests.
outbox: list[Sms] = []
# Mobiles the fake provider refuses, to exercise failures and retries.
refused: set[str] = set()
# Idempotency keys the fake provider accepted, with its message IDs: it answers `accepted`.
accepted_keys: dict[str, str] = {}
_ids = itertools.count(1)


class LocmemBackend(BaseBackend):
    def send(self, sms: Sms) -> str:
        if sms.to in refused:
            raise SmsError("locmem: the provider refused the number")
        outbox.append(sms)
        message_id = f"locmem-{next(_ids)}"
        if sms.key:
            accepted_keys[sms.key] = message_id
        return message_id

    def accepted(self, sms: Sms, sent_on) -> bool:
        return sms.key in accepted_keys
