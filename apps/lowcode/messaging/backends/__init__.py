"""SMS backends in the style of django.core.mail: `get_backend().send(Sms(...))` returns the
provider's message ID or raises SmsError. settings.SMS_ADAPTER picks one ("console", "locmem",
"aliyun", "tencent"); credentials come from settings.SMS_SETTINGS (the site config, never the repo).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    template_code: str = ""  # the provider's approved template; empty: the site's default
    params: dict[str, str] = field(default_factory=dict)  # the provider template's parameters, in order


class BaseBackend:
    def __init__(self, options: dict | None = None):
        self.options = dict(settings.SMS_SETTINGS if options is None else options)

    def send(self, sms: Sms) -> str:
        raise NotImplementedError

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
