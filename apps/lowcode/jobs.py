"""One way to run background work: RQ when Redis is configured, in-process after commit when embedded."""

from django.conf import settings
from django.db import transaction


def enqueue(func, *args, queue: str = "default", **kwargs):
    """Run `func` after the current transaction commits, in a worker if there is one."""
    if settings.JOBS_IN_PROCESS:
        transaction.on_commit(lambda: func(*args, **kwargs))
        return None

    def _send():
        import django_rq

        django_rq.get_queue(queue).enqueue(func, *args, **kwargs)

    transaction.on_commit(_send)
    return None
