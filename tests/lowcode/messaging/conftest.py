import pytest

from apps.lowcode.messaging.backends import locmem
from tests.e2e.conftest import browser, live_city, new_page  # noqa: F401  (the desk screenshots use them)


@pytest.fixture
def outbox(settings):
    """The locmem SMS backend, its outbox empty, and retries without waiting."""
    settings.SMS_ADAPTER = "locmem"
    settings.MESSAGING_RETRY_INTERVALS = [0, 0]
    locmem.outbox.clear()
    locmem.refused.clear()
    locmem.accepted_keys.clear()
    yield locmem.outbox
    locmem.outbox.clear()
    locmem.refused.clear()
    locmem.accepted_keys.clear()
