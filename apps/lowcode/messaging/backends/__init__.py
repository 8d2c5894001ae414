"""SMS backends in the style of django.core.mail: `get_backend().send(Sms(...))` returns the
provider's message ID or raises SmsError. settings.SMS_ADAPTER picks one ("console", "locmem",
"aliyun", "tencent"); credentials come from settings.SMS_SETTINGS (the site config, never the repo).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "console": "apps.lowcode.messaging.backends.console.ConsoleBackend",
    "locmem": "apps.lowcode.messaging.backends.locmem.LocmemBackend",
    "aliyun": "apps.lowcode.messaging.backends.aliyun.AliyunBackend",
    "tencent": "apps.lowcode.messaging.backends.tencent.TencentBackend",
}


class SmsError(Exception):
    """A message the provider did not accept; the text says why (never the full number)."""


class SmsOutcomeUnknown(SmsError):
    """The request went out and no answer came back (a read timeout, a dropped connection): the
    provider may have accepted it, so it is checked with `accepted`, never simply sent again."""


# Transport failures after the request was sent; a refused or failed connection sent nothing.
ANSWER_LOST = ("read timed out", "readtimeout", "remotedisconnected", "connection aborted", "connection reset")


def answer_lost(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(marker in text for marker in ANSWER_LOST)


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    template_code: str = ""  # the provider's approved template; empty: the site's default
    params: dict[str, str] = field(default_factory=dict)  # the provider template's parameters, in order
    key: str = ""  # idempotency key: the same message keeps it across attempts, the provider echoes it


class BaseBackend:
    def __init__(self, options: dict | None = None):
        self.options = dict(settings.SMS_SETTINGS if options is None else options)

    def send(self, sms: Sms) -> str:
        raise NotImplementedError

    def accepted(self, sms: Sms, sent_on: dt.date) -> bool | None:
        """Did the provider accept the message with `sms.key` (sent on `sent_on`)? True, False, or
        None when it cannot tell: then a person decides, the message is not sent again."""
        return None

    def send_messages(self, messages: list[Sms]) -> list[str | SmsError]:
        results: list[str | SmsError] = []
        for sms in messages:
            try:
                results.append(self.send(sms))
            except SmsError as exc:
                results.append(exc)
        return results

    def option(self, name: str) -> str:
        value = self.options.get(name)
        if not value:
            raise SmsError(f"SMS_SETTINGS has no {name!r}")
        return value


def get_backend(adapter: str | None = None, options: dict | None = None) -> BaseBackend:
    return import_string(BACKENDS[adapter or settings.SMS_ADAPTER])(options)
