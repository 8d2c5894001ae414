"""One way to run background work: RQ when Redis is configured, in-process when embedded.

Either way the job starts only after the current transaction commits (django-rq's default
commit mode, `on_commit` here), so a worker never sees data that was rolled back.
"""

from django.conf import settings
from django.db import transaction


def enqueue(func, *args, queue: str = "default", **kwargs) -> None:
    if settings.JOBS_IN_PROCESS:
        transaction.on_commit(lambda: func(*args, **kwargs))
        return
    import django_rq

    django_rq.get_queue(queue).enqueue(func, *args, **kwargs)
