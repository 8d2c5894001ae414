"""An SMS is never sent twice: a worker killed while the provider answered, a lost answer, Redis
down between commit and queue. Each fault is injected on the real path (MariaDB, Redis, an RQ
worker, the locmem provider that remembers idempotency keys); the message log shows every attempt."""

import datetime as dt

import pytest
import redis
from django.contrib.auth.models import User
from django.utils import timezone
from rq import Queue

from apps.bj_enrollment.choices import ApplicationState
from apps.lowcode import jobs
from apps.lowcode.messaging.backends import SmsOutcomeUnknown
from apps.lowcode.messaging.backends.locmem import LocmemBackend
from apps.lowcode.messaging.models import MessageAttempt, MessageLog, Status
from apps.lowcode.models import OutboxJob
from tests.lowcode.messaging.records import apply

pytestmark = pytest.mark.django_db
Outcome = MessageAttempt.Outcome


class WorkerKilled(BaseException):
    """Like SIGKILL: nothing in the job gets to clean up."""


def pre_admit(app, capture):
    with capture(execute=True):
        apply(app, "Pre-admit", ApplicationState.PRE_ADMITTED)
    return MessageLog.objects.get()


def provider_then(monkeypatch, exception, *, accept=True):
    """The provider call is interrupted once, after (or before) the provider accepted the message."""
    real, calls = LocmemBackend.send, []

    def send(self, sms):
        calls.append(sms)
        if len(calls) > 1:
            return real(self, sms)
        if accept:
            real(self, sms)
        raise exception

    monkeypatch.setattr(LocmemBackend, "send", send)


def killed_mid_call(log, queue):
    """A worker took the delivery job and was killed during the provider call."""
    job = OutboxJob.objects.get(func="apps.lowcode.messaging.jobs.deliver")
    queue.empty()
    with pytest.raises(WorkerKilled):
        jobs.run(job.key)
    log.refresh_from_db()
    assert (log.status, log.attempts) == (Status.SENDING, 1)
    assert len(log.idempotency_key) == 32
    return job


def lease_runs_out(job):
    OutboxJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def attempts(log):
    return list(log.attempt_log.order_by("pk").values_list("number", "outcome"))


def test_sms_whose_worker_died_after_the_provider_accepted_it_is_not_sent_twice(
    city, outbox, queue, run_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)
    provider_then(monkeypatch, WorkerKilled())
    job = killed_mid_call(log, queue)
    assert len(outbox) == 1  # the family has the message
    assert attempts(log) == [(1, "")]  # an attempt without an outcome: the worker died during the call

    assert jobs.sweep() == 0  # the lease still holds
    lease_runs_out(job)
    assert jobs.sweep() == 1
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts) == (Status.SENT, 1)
    assert [sms.to for sms in outbox] == [city.east_app.mobile]  # once
    assert attempts(log) == [(1, ""), (2, Outcome.CONFIRMED)]
    assert OutboxJob.objects.get(pk=job.pk).state == OutboxJob.State.DONE

    lease_runs_out(job)
    jobs.sweep()
    jobs.run(job.key)  # a replay does nothing
    run_jobs()
    assert len(outbox) == 1


def test_sms_interrupted_before_the_provider_got_it_is_sent_once(
    city, outbox, queue, run_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)
    provider_then(monkeypatch, WorkerKilled(), accept=False)
    job = killed_mid_call(log, queue)
    assert outbox == []
    lease_runs_out(job)
    jobs.sweep()
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts) == (Status.SENT, 2)
    assert [sms.to for sms in outbox] == [city.east_app.mobile]
    assert attempts(log) == [(1, ""), (2, Outcome.NOT_RECEIVED), (3, Outcome.ACCEPTED)]
    assert outbox[0].key == log.idempotency_key  # the same key on the second call


def test_sms_whose_answer_was_lost_is_checked_not_sent_again(
    city, outbox, run_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)
    provider_then(monkeypatch, SmsOutcomeUnknown("locmem: Read timed out"))
    run_jobs()  # RQ retries at once (intervals 0 in the tests): the retry asks the provider
    log.refresh_from_db()
    assert (log.status, log.attempts) == (Status.SENT, 1)
    assert len(outbox) == 1
    assert attempts(log) == [(1, Outcome.NO_ANSWER), (2, Outcome.CONFIRMED)]


def test_sms_the_provider_cannot_account_for_is_left_to_a_person(
    city, outbox, queue, run_jobs, monkeypatch, client, django_capture_on_commit_callbacks
):
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)
    provider_then(monkeypatch, WorkerKilled())
    monkeypatch.setattr(LocmemBackend, "accepted", lambda self, sms, sent_on: None)  # like a real provider's lag
    job = killed_mid_call(log, queue)
    lease_runs_out(job)
    jobs.sweep()
    run_jobs()
    log.refresh_from_db()
    assert log.status == Status.UNKNOWN and log.idempotency_key in log.error
    assert len(outbox) == 1
    assert attempts(log) == [(1, ""), (2, Outcome.UNKNOWN)]
    lease_runs_out(job)
    jobs.sweep()
    run_jobs()
    assert len(outbox) == 1  # nobody re-sends it blindly

    client.force_login(User.objects.create_superuser("root"))
    page = client.get(f"/desk/lowcode_messaging/messagelog/{log.pk}/change/").content.decode()
    assert "结果未知" in page and "服务商无法确认" in page

    # the operator asked the provider, which had not delivered it: only then is it sent again
    response = client.post(
        "/desk/lowcode_messaging/messagelog/", {"action": "resend_unknown", "_selected_action": [log.pk]}, follow=True
    )
    assert "已将 1 条结果未知的消息重新排队。" in response.content.decode()
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts, len(outbox)) == (Status.SENT, 2, 2)
    assert outbox[1].key == outbox[0].key == log.idempotency_key


def test_redis_down_between_commit_and_queue_the_sweeper_sends_the_sms_once(
    city, outbox, queue, run_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    dead = Queue("default", connection=redis.Redis(port=1, socket_connect_timeout=0.5, socket_timeout=0.5))
    monkeypatch.setattr(jobs, "_queue", lambda name: dead)
    monkeypatch.setattr(jobs, "_queue_down_until", 0.0)
    started = timezone.now()
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)  # the reviewer's action commits
    assert timezone.now() - started < dt.timedelta(seconds=10)
    job = OutboxJob.objects.get(func="apps.lowcode.messaging.jobs.deliver")
    assert (log.status, job.state, queue.count) == (Status.QUEUED, OutboxJob.State.PENDING, 0)
    monkeypatch.undo()  # Redis is back

    lease_runs_out(job)
    assert jobs.sweep() == 1
    run_jobs()
    lease_runs_out(job)
    assert jobs.sweep() == 0
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts, len(outbox)) == (Status.SENT, 1, 1)


def test_message_whose_delivery_job_is_given_up_is_not_left_sending(
    city, outbox, queue, monkeypatch, django_capture_on_commit_callbacks
):
    log = pre_admit(city.east_app, django_capture_on_commit_callbacks)
    provider_then(monkeypatch, WorkerKilled())
    job = killed_mid_call(log, queue)
    OutboxJob.objects.filter(pk=job.pk).update(attempts=jobs.MAX_ATTEMPTS)  # it kept killing its workers
    lease_runs_out(job)
    assert jobs.sweep() == 0
    log.refresh_from_db()
    assert OutboxJob.objects.get(pk=job.pk).state == OutboxJob.State.DEAD
    assert log.status == Status.UNKNOWN and "given up" in log.error
    assert len(outbox) == 1


def test_message_stuck_queued_without_a_job_is_queued_again_and_sent_once(
    city, outbox, queue, run_jobs, django_capture_on_commit_callbacks
):
    from apps.lowcode.messaging import sending

    with django_capture_on_commit_callbacks(execute=False):  # its job was never queued ...
        apply(city.east_app, "Pre-admit", ApplicationState.PRE_ADMITTED)
    OutboxJob.objects.all().delete()  # ... nor written down (a message from before the outbox)
    log = MessageLog.objects.get()
    assert sending.requeue_stuck() == 0  # not stuck yet
    MessageLog.objects.filter(pk=log.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.requeue_stuck() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.requeue_stuck() == 0
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts, len(outbox)) == (Status.SENT, 1, 1)
