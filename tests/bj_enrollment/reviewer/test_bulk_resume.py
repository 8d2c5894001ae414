"""A bulk confirmation whose worker is lost half-way resumes from its checkpoint: every child is
confirmed (and texted) exactly once, and the progress page says the batch was interrupted, not
"处理中" forever; when it cannot be resumed, the batch is marked failed."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode import jobs
from apps.lowcode.messaging.models import MessageLog
from apps.lowcode.models import OutboxJob
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.models import BulkTransition, TransitionRecord
from tests.bj_enrollment.reviewer.test_bulk_confirmation import post_bulk
from tests.bj_enrollment.reviewer.test_bulk_confirmation import pre_admitted as _pre_admitted

pytestmark = pytest.mark.django_db
pre_admitted = _pre_admitted  # the 60 pre-admitted children of the bulk confirmation tests
STATUS = "admin:bj_enrollment_application_workflow_bulk_status"
PAGE = "admin:bj_enrollment_application_workflow_bulk"


class WorkerKilled(BaseException):
    """Like SIGKILL: nothing in the job gets to clean up."""


def fail_at(monkeypatch, call: int, exception: BaseException):
    """The worker dies while acting on the `call`-th document."""
    real, calls = engine.apply_action, []

    def apply_action(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise exception
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "apply_action", apply_action)


def started(client, city, applications) -> tuple[BulkTransition, OutboxJob]:
    """The district reviewer confirms the children in bulk; the request commits (its outbox row is
    handed to the queue)."""
    client.force_login(city.east_reviewer)
    post_bulk(client, [a.pk for a in applications])
    pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()
    return BulkTransition.objects.get(), OutboxJob.objects.get(func="apps.lowcode.workflow.bulk.run")


def killed_at(monkeypatch, queue, job, call: int) -> None:
    """A worker took the job off the queue and was killed (SIGKILL) while acting on the `call`-th document."""
    queue.empty()
    fail_at(monkeypatch, call, WorkerKilled())
    with pytest.raises(WorkerKilled):
        jobs.run(job.key)
    monkeypatch.undo()


def time_passes(job):
    OutboxJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def assert_each_confirmed_once(batch, applications):
    assert (batch.state, batch.done, batch.applied, len(batch.refusals)) == ("done", batch.total, batch.total - 1, 1)
    ids = [str(a.pk) for a in applications[1:]]
    records = TransitionRecord.objects.filter(action="Confirm admission", object_id__in=ids)
    assert sorted(records.values_list("object_id", flat=True)) == sorted(ids)  # each exactly once
    assert Application.objects.filter(state=S.CONFIRMED).count() == batch.total - 1
    texted = MessageLog.objects.filter(event="state:confirmed").values_list("recipient", flat=True)
    assert sorted(texted) == sorted(a.mobile for a in applications[1:])  # R30: one SMS per child, none twice


def test_batch_whose_job_broke_half_way_resumes_from_its_checkpoint(client, city, pre_admitted, run_jobs, monkeypatch):
    batch, job = started(client, city, pre_admitted)
    fail_at(monkeypatch, 25, RuntimeError("connection to the worker lost"))
    run_jobs()
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.applied + len(batch.refusals)) == ("interrupted", 24, 24)
    page = client.get(reverse(PAGE, args=[batch.pk])).content.decode()
    assert "已中断，正在继续" in page and "处理中" not in page
    assert client.get(reverse(STATUS, args=[batch.pk])).json()["state"] == "interrupted"
    job.refresh_from_db()
    assert job.state == OutboxJob.State.PENDING and "connection to the worker lost" in job.last_error

    monkeypatch.undo()
    assert jobs.sweep() == 0  # backing off
    time_passes(job)
    assert jobs.sweep() == 1
    run_jobs()
    batch.refresh_from_db()
    assert batch.resumed == 1
    assert_each_confirmed_once(batch, pre_admitted)
    assert "已完成" in client.get(reverse(PAGE, args=[batch.pk])).content.decode()


def test_batch_whose_worker_was_killed_is_shown_interrupted_and_resumed(
    client, city, pre_admitted, queue, run_jobs, monkeypatch
):
    batch, job = started(client, city, pre_admitted)
    killed_at(monkeypatch, queue, job, 31)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.state, batch.done) == ("running", 30)
    assert job.state == OutboxJob.State.RUNNING
    assert job.next_attempt_at < timezone.now() + dt.timedelta(minutes=3)  # the batch's heartbeat lease
    assert client.get(reverse(STATUS, args=[batch.pk])).json()["state"] == "running"

    # two minutes without progress: the page says so
    BulkTransition.objects.filter(pk=batch.pk).update(progressed_at=timezone.now() - dt.timedelta(minutes=3))
    assert client.get(reverse(STATUS, args=[batch.pk])).json()["state"] == "interrupted"
    assert "已中断，正在继续" in client.get(reverse(PAGE, args=[batch.pk])).content.decode()

    jobs.run(job.key)  # a stray redelivery while the lease holds does nothing
    batch.refresh_from_db()
    assert batch.done == 30
    time_passes(job)  # the lease ran out: the sweeper presumes the worker lost
    assert jobs.sweep() == 1
    run_jobs()
    batch.refresh_from_db()
    assert batch.resumed == 1
    assert_each_confirmed_once(batch, pre_admitted)


def test_batch_that_cannot_be_resumed_is_marked_failed(client, city, pre_admitted, run_jobs, monkeypatch):
    batch, job = started(client, city, pre_admitted)
    OutboxJob.objects.filter(pk=job.pk).update(attempts=jobs.MAX_ATTEMPTS - 1)  # it was resumed many times
    fail_at(monkeypatch, 11, RuntimeError("disk full"))
    run_jobs()
    batch.refresh_from_db()
    job.refresh_from_db()
    assert job.state == OutboxJob.State.DEAD
    assert (batch.state, batch.done) == ("failed", 10)
    assert "10" in batch.error and "disk full" in batch.error
    page = client.get(reverse(PAGE, args=[batch.pk])).content.decode()
    assert "出错停止" in page and batch.error in page
    assert client.get(reverse(STATUS, args=[batch.pk])).json()["state"] == "failed"
    assert batch.applied + len(batch.refusals) == 10
    assert Application.objects.filter(state=S.CONFIRMED).count() == batch.applied  # the rest untouched


def test_batch_stuck_without_a_job_is_run_again_from_its_checkpoint(
    client, city, pre_admitted, queue, run_jobs, monkeypatch
):
    from apps.lowcode.workflow import bulk

    batch, job = started(client, city, pre_admitted)
    killed_at(monkeypatch, queue, job, 21)
    OutboxJob.objects.all().delete()  # a batch from before the outbox: no row re-drives it
    assert bulk.requeue_stuck() == 0
    BulkTransition.objects.filter(pk=batch.pk).update(progressed_at=timezone.now() - dt.timedelta(hours=2))
    assert bulk.requeue_stuck() == 1
    assert bulk.requeue_stuck() == 0
    run_jobs()
    batch.refresh_from_db()
    assert batch.resumed == 1
    assert_each_confirmed_once(batch, pre_admitted)
