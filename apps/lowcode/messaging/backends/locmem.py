import itertools

from apps.lowcode.messaging.backends import BaseBackend, Sms, SmsError

# Like django.core.mail.outbox: every message "sent" in this process, for tests.
outbox: list[Sms] = []
# Mobiles the fake provider refuses, to exercise failures and retries.
refused: set[str] = set()
_ids = itertools.count(1)


class LocmemBackend(BaseBackend):
    def send(self, sms: Sms) -> str:
        if sms.to in refused:
            raise SmsError("locmem: the provider refused the number")
        outbox.append(sms)
        return f"locmem-{next(_ids)}"
