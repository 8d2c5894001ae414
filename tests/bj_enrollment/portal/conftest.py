import re

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

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


PARENT_PASSWORD = "Parent2026ok"


@pytest.fixture
def parent(client, city):
    """A family logged in to the portal, registered and still entering its details (no property yet)."""
    from apps.bj_enrollment.choices import ApplicationState
    from apps.bj_enrollment.models import Application

    app = city.east_app
    Application.objects.filter(pk=app.pk).update(state=ApplicationState.REGISTERED)
    user = User.objects.create_user(app.form_number, password=PARENT_PASSWORD)
    Application.objects.filter(pk=app.pk).update(account=user)
    app.properties.all().delete()
    client.post(reverse("portal:login"), {"username": app.form_number, "password": PARENT_PASSWORD})
    return Application.objects.get(pk=app.pk)
