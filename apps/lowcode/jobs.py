"""One way to run background work, with an outbox so that no job is lost between commit and queue.

`enqueue` writes an OutboxJob row in the caller's transaction. On commit the row goes to RQ (or,
on the embedded default without Redis, runs in-process). If Redis is unreachable at that moment,
or a worker dies mid-job, the row stays behind and `sweep` (run by the scheduler every minute)
sends it again once it is overdue, with back-off, until it is given up after MAX_ATTEMPTS. The
runner marks the row done, so a job that reaches a worker twice runs once.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import inspect
import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.lowcode.models import OutboxJob

logger = logging.getLogger(__name__)

State = OutboxJob.State
DISPATCH_GRACE = dt.timedelta(minutes=1)  # written but not handed to the queue by then: re-driven
QUEUED_TIMEOUT = dt.timedelta(minutes=10)  # in the queue that long without starting: looked at again
IN_PROCESS_LEASE = dt.timedelta(minutes=15)
BACKOFF = [60, 300, 900, 3600]  # seconds before a job that raised is tried again
MAX_ATTEMPTS = 6
KEEP_DONE = dt.timedelta(days=7)
SWEEP_LIMIT = 500
QUEUE_DOWN_PAUSE = 15  # seconds
# Parameters that hold a secret: such a job is refused (its row and its RQ job would keep the secret).
SECRET_PARAMETER = re.compile(r"^(sms_|verification_)?code$|(^|_)(password|passwd|secret|token|otp)$")

_current_job: contextvars.ContextVar[int | None] = contextvars.ContextVar("outbox_job", default=None)
_when_dead: dict[str, Callable[[OutboxJob], None]] = {}
_queue_down_until = 0.0  # monotonic time until which requests leave rows to the sweeper


def enqueue(func, *args, queue: str = "default", not_before: dt.datetime | None = None, **kwargs) -> OutboxJob:
    """Run `func(*args, **kwargs)` in the background once the current transaction commits.

    `retry=rq.Retry(...)` is RQ's own quick retry; the outbox's back-off comes on top of it.
    `not_before` in the future: the row waits, undispatched, and the sweeper sends it when due
    (a scheduled job that survives restarts and a lost Redis like any other row).
    """
    retry = kwargs.pop("retry", None)
    now = timezone.now()
    held = not_before is not None and not_before > now
    path = _path(func)
    secret = _secret_parameter(func, args, kwargs)
    if secret:  # job arguments are stored in Redis and the outbox, shown on dashboards and logged
        raise ValueError(f"job {path} takes a secret ({secret}): pass a reference to it, never the secret itself")
    job = OutboxJob.objects.create(
        func=path,
        args=list(args),
        kwargs=kwargs,
        queue=queue,
        retry={"max": retry.max, "intervals": list(retry.intervals)} if retry is not None else {},
        next_attempt_at=not_before if held else now + DISPATCH_GRACE,
    )
    if not held:
        transaction.on_commit(lambda: dispatch(job))
    return job


def when_dead(func):
    """Register `handler(job)` to run when the outbox gives up on a job of `func` (e.g. to mark its batch failed)."""

    def register(handler):
        _when_dead[_path(func)] = handler
        return handler

    return register


def heartbeat(lease: dt.timedelta) -> None:
    """A long job says it is alive: the sweeper leaves it alone for `lease`, then presumes its worker lost."""
    job_id = _current_job.get()
    if job_id is not None:
        OutboxJob.objects.filter(pk=job_id, state=State.RUNNING).update(next_attempt_at=timezone.now() + lease)


def dispatch(job: OutboxJob, *, retrying: bool = False) -> None:
    """Hand a pending row to the queue; when Redis is unreachable the row waits for the sweeper.

    After a failure the requests of this process stop trying for QUEUE_DOWN_PAUSE (a refused
    connection costs seconds of redis-py's retries); the sweeper (`retrying`) always tries.
    """
    global _queue_down_until
    if settings.JOBS_IN_PROCESS:
        run(job.key)
        return
    if not retrying and time.monotonic() < _queue_down_until:
        return
    if not retrying and not OutboxJob.objects.filter(pk=job.pk, state=State.PENDING).exists():
        return  # handed over already (a commit hook run twice): one row, one delivery
    try:
        queue = _queue(job.queue)
        if retrying:
            _forget(queue, job.key)
        queue.enqueue_call(run, args=(job.key,), job_id=job.key, retry=_retry(job))
    except Exception as exc:  # Redis down or refusing: the row is the record, the sweeper re-drives it
        _queue_down_until = time.monotonic() + QUEUE_DOWN_PAUSE
        logger.warning("job %s %s not queued (%s); the sweeper will queue it", job.func, job.key, exc)
        OutboxJob.objects.filter(pk=job.pk, state=State.PENDING).update(last_error=f"queue: {exc}"[:2000])
        return
    _queue_down_until = 0.0
    OutboxJob.objects.filter(pk=job.pk, state=State.PENDING).update(
        state=State.ENQUEUED, next_attempt_at=timezone.now() + QUEUED_TIMEOUT
    )


def run(key: str):
    """The worker's entry point: run the row's job unless it is done, given up or running elsewhere;
    returns the job's result (RQ keeps it)."""
    job = _claim(key)
    if job is None:
        return None
    token = _current_job.set(job.pk)
    try:
        result = import_string(job.func)(*job.args, **job.kwargs)
    except Exception as exc:
        _failed(job, exc)
        if settings.JOBS_IN_PROCESS:  # the transaction is committed: the user's request is not the place
            logger.exception("job %s %s failed", job.func, job.key)
            return None
        raise
    finally:
        _current_job.reset(token)
    OutboxJob.objects.filter(pk=job.pk).update(state=State.DONE, finished_at=timezone.now(), last_error="")
    return result


def sweep() -> int:
    """For the scheduler: send again every row that is overdue; returns how many were sent."""
    now = timezone.now()
    OutboxJob.objects.filter(state=State.DONE, finished_at__lt=now - KEEP_DONE).delete()
    due = list(
        OutboxJob.objects.filter(
            state__in=[State.PENDING, State.ENQUEUED, State.RUNNING], next_attempt_at__lte=now
        ).order_by("next_attempt_at")[:SWEEP_LIMIT]
    )
    sent = 0
    for job in due:
        try:
            if job.state == State.ENQUEUED and _waiting_in_queue(job):
                OutboxJob.objects.filter(pk=job.pk, state=State.ENQUEUED).update(next_attempt_at=now + QUEUED_TIMEOUT)
                continue
        except Exception as exc:  # Redis still down: try again next minute
            logger.warning("outbox sweep stopped: %s", exc)
            break
        if job.state == State.RUNNING and job.attempts >= MAX_ATTEMPTS:
            _give_up(job, "worker lost")
            continue
        error = "worker lost" if job.state == State.RUNNING else job.last_error
        taken = OutboxJob.objects.filter(pk=job.pk, state=job.state, next_attempt_at=job.next_attempt_at).update(
            state=State.PENDING, next_attempt_at=now + DISPATCH_GRACE, last_error=error
        )
        if taken:
            logger.info("outbox re-drives %s %s (was %s)", job.func, job.key, job.state)
            job.state = State.PENDING
            dispatch(job, retrying=True)
            sent += 1
    return sent


def _claim(key: str) -> OutboxJob | None:
    now = timezone.now()
    with transaction.atomic():
        job = OutboxJob.objects.select_for_update().filter(key=key).first()
        if job is None or job.state in (State.DONE, State.DEAD):
            return None
        if job.state == State.RUNNING and job.next_attempt_at > now:
            return None  # another worker holds it
        job.state, job.attempts = State.RUNNING, job.attempts + 1
        job.next_attempt_at = now + _lease(job)
        job.save(update_fields=["state", "attempts", "next_attempt_at"])
    return job


def _failed(job: OutboxJob, exc: Exception) -> None:
    from rq import get_current_job

    error = f"{type(exc).__name__}: {exc}"[:2000]
    rq_job = get_current_job()
    if job.attempts >= MAX_ATTEMPTS:
        _give_up(job, error)
    elif rq_job is not None and rq_job.retries_left:  # RQ schedules its own retry of this job
        wait = dt.timedelta(seconds=max(job.retry.get("intervals") or [0]))
        OutboxJob.objects.filter(pk=job.pk).update(
            state=State.ENQUEUED, last_error=error, next_attempt_at=timezone.now() + QUEUED_TIMEOUT + wait
        )
    else:
        wait = BACKOFF[min(job.attempts, len(BACKOFF)) - 1]
        OutboxJob.objects.filter(pk=job.pk).update(
            state=State.PENDING, last_error=error, next_attempt_at=timezone.now() + dt.timedelta(seconds=wait)
        )


def _give_up(job: OutboxJob, error: str) -> None:
    OutboxJob.objects.filter(pk=job.pk).update(state=State.DEAD, last_error=error, finished_at=timezone.now())
    logger.error("job %s %s given up after %d attempts: %s", job.func, job.key, job.attempts, error)
    try:
        import_string(job.func)  # its module registers the handler (the sweeper may not have imported it)
    except ImportError:
        pass
    handler = _when_dead.get(job.func)
    job.state, job.last_error = State.DEAD, error
    if handler is not None:
        handler(job)


def _lease(job: OutboxJob) -> dt.timedelta:
    """Past this a running job's worker is presumed lost: RQ itself kills a job at the queue's timeout."""
    if settings.JOBS_IN_PROCESS:
        return IN_PROCESS_LEASE
    timeout = settings.RQ_QUEUES.get(job.queue, {}).get("DEFAULT_TIMEOUT", 180)
    return dt.timedelta(seconds=timeout + 60)


def _waiting_in_queue(job: OutboxJob) -> bool:
    """True when RQ still holds the job, waiting: a busy queue is not a lost job."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    queue = _queue(job.queue)
    try:
        status = Job.fetch(job.key, connection=queue.connection).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def _forget(queue, key: str) -> None:
    """Drop RQ's record of an earlier delivery of this row (failed, or started by a lost worker), so
    the new one under the same id leaves no stale entry in RQ's registries."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        Job.fetch(key, connection=queue.connection).delete()
    except NoSuchJobError:
        pass


def _queue(name: str):
    import django_rq

    return django_rq.get_queue(name, commit_mode="auto")  # the outbox already waits for the commit


def _retry(job: OutboxJob):
    if not job.retry:
        return None
    from rq import Retry

    return Retry(max=job.retry["max"], interval=job.retry["intervals"])


def _path(func) -> str:
    path = f"{func.__module__}.{func.__qualname__}"
    try:
        found = import_string(path)
    except ImportError:
        found = None
    if found is not func:
        raise ValueError(f"a background job must be a module-level function, not {path}")
    return path


def _secret_parameter(func, args, kwargs) -> str | None:
    try:
        bound = inspect.signature(func).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    return next((name for name in bound.arguments if SECRET_PARAMETER.search(name)), None)


