import django_rq
import pytest
from rq import SimpleWorker

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


@pytest.fixture
def queue():
    q = django_rq.get_queue("default")
    q.empty()
    yield q
    q.empty()


@pytest.fixture
def run_jobs(queue):
    def run():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

    return run
