import time

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

LOGIN = "/desk/login/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Log-in failure counters live in Redis across tests: start and leave each test clean."""
    cache.delete_pattern("*")
    yield
    cache.delete_pattern("*")


def log_in(client, username, password=PASSWORD, token=None, address="10.8.0.1"):
    data = {"username": username, "password": password}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def device_for(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def token_now(device, offset_steps=0) -> str:
    """The code an authenticator app shows now for this device (django-otp's own TOTP)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
