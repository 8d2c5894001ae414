"""Background jobs go through RQ on Redis after the transaction commits, and a worker runs them."""

import django_rq
import pytest
from django.core.cache import cache
from rq import SimpleWorker

from apps.lowcode.jobs import enqueue


def remember(key, value):
    cache.set(key, value, 60)


@pytest.fixture
def queue():
    q = django_rq.get_queue("default")
    q.empty()
    yield q
    q.empty()


@pytest.mark.django_db
def test_job_waits_for_commit_then_a_worker_runs_it(queue, django_capture_on_commit_callbacks):
    cache.delete("jobs-test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(remember, "jobs-test", "done")
        assert queue.count == 0  # nothing leaves before the transaction commits
    assert len(callbacks) == 1, callbacks
    callbacks[0]()
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert cache.get("jobs-test") == "done"


@pytest.mark.django_db
def test_job_of_a_rolled_back_transaction_is_never_sent(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        enqueue(remember, "jobs-test", "never")
    # callbacks discarded, as on rollback
    assert queue.count == 0


def test_scheduler_config_registers_the_housekeeping_job():
    from django_rq.cron import DjangoCronScheduler

    from apps.bj_enrollment import housekeeping
    from apps.bj_enrollment.registries import checks

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("apps.bj_enrollment.cron")
    jobs = scheduler.get_jobs()
    assert [(job.func, job.cron) for job in jobs] == [
        (housekeeping.clear_expired_sessions, "17 3 * * *"),
        (checks.requeue_stale_identity_checks, "*/30 * * * *"),
    ]
