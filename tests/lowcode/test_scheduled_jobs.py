"""`enqueue(..., not_before=)`: a job held for a later time is a row the sweeper sends when due,
never on commit, and then once."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.lowcode import jobs
from apps.lowcode.models import OutboxJob

pytestmark = pytest.mark.django_db


def remember(key, value):
    cache.set(key, value, 600)


def test_a_held_job_waits_for_its_time_then_the_sweeper_sends_it_once(run_jobs, queue):
    cache.delete("held-job")
    when = timezone.now() + dt.timedelta(days=2)
    job = jobs.enqueue(remember, "held-job", "done", not_before=when)
    run_jobs()  # the commit hands nothing over
    assert queue.count == 0 and cache.get("held-job") is None
    assert jobs.sweep() == 0
    row = OutboxJob.objects.get(pk=job.pk)
    assert (row.state, row.next_attempt_at) == (OutboxJob.State.PENDING, when)
    with mock.patch("django.utils.timezone.now", return_value=when + dt.timedelta(seconds=30)):
        assert jobs.sweep() == 1
        run_jobs()
        assert cache.get("held-job") == "done"
        assert OutboxJob.objects.get(pk=job.pk).state == OutboxJob.State.DONE
        assert jobs.sweep() == 0


def test_a_time_already_past_is_sent_on_commit(run_jobs, queue):
    cache.delete("held-job")
    jobs.enqueue(remember, "held-job", "now", not_before=timezone.now() - dt.timedelta(minutes=1))
    run_jobs()
    assert cache.get("held-job") == "now"
