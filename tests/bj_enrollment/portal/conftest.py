import re

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache

from tests.bj_enrollment.portal import sms


@pytest.fixture(autouse=True)
def _fresh_counters(settings, tmp_path):
    """Rate-limit counters and SMS codes live in Redis, across tests: start each test clean; the
    registry simulator keeps this test's records in this test's folder."""
    settings.SMS_ADAPTER = "locmem"
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry")}
    cache.delete_pattern("*")
    sms.clear()
    yield
    cache.delete_pattern("*")


def captcha_answer(html: str) -> dict:
    """The real captcha's key from the page and its stored answer, as a person would read the picture."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}
