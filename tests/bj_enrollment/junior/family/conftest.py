"""The junior-high family side (R37/R38): SMS codes and rate-limit counters start clean (Redis), the
SMS gateway is the local backend, and the east graduate waits for the family's confirmation."""

import re

import pytest
from django.core.cache import cache

from tests import factories
from tests.bj_enrollment.junior.conftest import junior  # noqa: F401  (the junior campaign)
from tests.bj_enrollment.portal import sms

MOBILE = "13912340000"  # the mobile on file of factories.student


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """SMS codes and rate-limit counters live in Redis across tests: start clean, texts to the local outbox."""
    settings.SMS_ADAPTER = "locmem"
    cache.delete_pattern("*")
    sms.clear()
    yield
    cache.delete_pattern("*")


@pytest.fixture
def graduate(junior):  # noqa: F811
    """The east graduate, opened for the family's confirmation."""
    return factories.put_in_state(junior.east_student, "awaiting_confirmation")


def last_code(mobile: str = MOBILE) -> str:
    """The newest one-time code sent to `mobile` (the workflow's own messages reach it too)."""
    codes = [m.group(0) for text in sms.texts_to(mobile) if "验证码" in text
             if (m := re.search(r"(?<!\d)\d{6}(?!\d)", text))]
    assert codes, f"no code sent to {mobile}"
    return codes[-1]
