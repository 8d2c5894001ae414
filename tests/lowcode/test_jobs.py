"""Background jobs go through RQ on Redis after the transaction commits, and a worker runs them."""

import datetime as dt

import django_rq
import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rq import Queue, SimpleWorker

from apps.lowcode import jobs
from apps.lowcode.jobs import enqueue
from apps.lowcode.models import OutboxJob


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
    from apps.bj_enrollment.services import reminders
    from apps.lowcode import export_jobs
    from apps.lowcode import jobs as outbox
    from apps.lowcode.messaging import sending
    from apps.lowcode.workflow import bulk

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("apps.bj_enrollment.cron")
    jobs = scheduler.get_jobs()
    assert [(job.func, job.cron) for job in jobs] == [
        (outbox.sweep, "* * * * *"),
        (sending.requeue_stuck, "*/10 * * * *"),
        (bulk.requeue_stuck, "*/10 * * * *"),
        (housekeeping.clear_expired_sessions, "17 3 * * *"),
        (export_jobs.purge_expired, "23 * * * *"),
        (checks.requeue_stale_identity_checks, "*/30 * * * *"),
        (reminders.remind_school_check, "30 8 * * *"),
    ]


# --- the outbox: nothing lost between commit and queue, nothing run twice ---------------------------


State = OutboxJob.State


def count_run(key):
    """A job with a visible effect: how many times it ran."""
    cache.incr(key)


def explode(key):
    cache.incr(key)
    raise RuntimeError("the job broke")


def send_code_to(mobile, code):
    cache.set("secret-job", code, 60)


def runs(key):
    return cache.get(key)


@pytest.fixture
def counter():
    key = "jobs-test-runs"
    cache.set(key, 0, 300)
    yield key
    cache.delete(key)


@pytest.fixture
def run_worker(queue):
    def work():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

    return work


def redis_down(monkeypatch):
    """The queue's Redis unreachable: a closed port, refused at once."""
    dead = Queue("default", connection=redis.Redis(port=1, socket_connect_timeout=0.5, socket_timeout=0.5))
    monkeypatch.setattr(jobs, "_queue", lambda name: dead)
    monkeypatch.setattr(jobs, "_queue_down_until", 0.0)


def time_passes(job):
    OutboxJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


@pytest.mark.django_db
def test_enqueue_writes_its_row_in_the_callers_transaction(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(count_run, "never")
        raise RuntimeError("rolled back")
    assert not OutboxJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.enqueue(count_run, "k", queue="default")
    job.refresh_from_db()
    assert (job.func, job.args, job.state, job.attempts) == ("tests.lowcode.test_jobs.count_run", ["k"], "pending", 0)


@pytest.mark.django_db
def test_redis_down_at_commit_the_sweeper_queues_the_job_once_redis_is_back(
    queue, counter, run_worker, monkeypatch, django_capture_on_commit_callbacks
):
    redis_down(monkeypatch)
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # the row commits, then the enqueue fails
        jobs.enqueue(count_run, counter)
    assert timezone.now() - started < dt.timedelta(seconds=10)  # redis-py's own retries, once
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(count_run, counter)
    assert timezone.now() - started < dt.timedelta(seconds=1)  # the next requests do not wait at all
    job, second = OutboxJob.objects.order_by("pk")
    assert job.state == State.PENDING and "queue:" in job.last_error
    assert second.state == State.PENDING
    monkeypatch.undo()  # Redis is back
    assert queue.count == 0 and runs(counter) == 0

    assert jobs.sweep() == 0  # not overdue yet: a slow commit hook is not a lost job
    time_passes(job)
    time_passes(second)
    assert jobs.sweep() == 2
    assert queue.count == 2
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, runs(counter)) == (State.DONE, 1, 2)  # each job once

    jobs.sweep()  # done rows are not swept again
    jobs.run(job.key)  # nor does a replay of the same job run it again
    queue.enqueue_call(jobs.run, args=(job.key,))  # a duplicate delivery, as after a Redis replay
    run_worker()
    assert runs(counter) == 2


@pytest.mark.django_db
def test_job_lost_by_redis_after_queueing_is_queued_again(
    queue, counter, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(count_run, counter)
    job.refresh_from_db()
    assert job.state == State.ENQUEUED and queue.count == 1
    time_passes(job)
    assert jobs.sweep() == 0  # still waiting in the queue: a busy queue is not a lost job
    assert queue.count == 1

    queue.empty()  # Redis restarted without the job
    time_passes(job)
    assert jobs.sweep() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.state, runs(counter)) == (State.DONE, 1)


@pytest.mark.django_db
def test_job_whose_worker_died_is_run_again_after_its_lease(queue, counter, run_worker):
    job = jobs.enqueue(count_run, counter)  # never committed here: no queue entry
    # a worker took the job and was killed before finishing
    assert jobs._claim(job.key) is not None
    job.refresh_from_db()
    assert job.state == State.RUNNING and job.next_attempt_at > timezone.now() + dt.timedelta(minutes=5)
    assert jobs.sweep() == 0
    jobs.run(job.key)  # a duplicate delivery while the lease holds does nothing
    assert runs(counter) == 0

    time_passes(job)
    assert jobs.sweep() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error, runs(counter)) == (State.DONE, 2, "", 1)


@pytest.mark.django_db
def test_failing_job_backs_off_then_is_given_up_and_its_owner_told(queue, counter, run_worker):
    given_up = []
    jobs.when_dead(explode)(given_up.append)
    job = jobs.enqueue(explode, counter)
    jobs.dispatch(job)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error) == (State.PENDING, 1, "RuntimeError: the job broke")
    assert job.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)  # back-off
    assert jobs.sweep() == 0
    for _ in range(jobs.MAX_ATTEMPTS - 1):
        time_passes(job)
        assert jobs.sweep() == 1
        run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, runs(counter)) == (State.DEAD, jobs.MAX_ATTEMPTS, jobs.MAX_ATTEMPTS)
    assert [j.pk for j in given_up] == [job.pk]
    time_passes(job)
    assert jobs.sweep() == 0


@pytest.mark.django_db
def test_job_with_a_secret_argument_is_refused(queue, django_capture_on_commit_callbacks):
    """#11.5: a secret in job arguments lands in Redis, the outbox and the dashboard: refused outright."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError, match="secret"):
        jobs.enqueue(send_code_to, "13800000000", "123456")
    assert not OutboxJob.objects.exists()
    assert queue.count == 0


@pytest.mark.django_db
def test_embedded_default_runs_the_row_in_process_after_commit(settings, counter, django_capture_on_commit_callbacks):
    settings.JOBS_IN_PROCESS = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.enqueue(count_run, counter)
    assert runs(counter) == 0
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, runs(counter)) == (State.DONE, 1)


@pytest.mark.django_db
def test_outbox_desk_is_for_superusers_only(client):
    job = jobs.enqueue(count_run, "x")
    client.force_login(User.objects.create_user("staff", is_staff=True))
    assert client.get("/desk/lowcode/outboxjob/").status_code == 403
    assert "/desk/lowcode/outboxjob/" not in client.get("/desk/").content.decode()
    client.force_login(User.objects.create_superuser("root"))
    page = client.get(f"/desk/lowcode/outboxjob/{job.pk}/change/")
    assert page.status_code == 200 and "count_run" in page.content.decode()
    assert "/desk/lowcode/outboxjob/" in client.get("/desk/").content.decode()  # in the sidebar
