"""Deployment checks (`manage.py check --deploy`) for what keeps jobs safe when a server fails."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def _server(url: str) -> tuple[str, int]:
    """The Redis instance a URL names; two database numbers on one instance share its persistence."""
    parts = urlsplit(url)
    return (parts.hostname or "localhost", parts.port or 6379)


@checks.register(checks.Tags.security, deploy=True)
def queue_redis_is_separate(app_configs=None, **kwargs):
    """Queued jobs need their own append-only Redis: the cache's snapshots replay or drop jobs after a crash."""
    if getattr(settings, "JOBS_IN_PROCESS", True):
        return []
    if _server(settings.REDIS_QUEUE_URL) == _server(settings.REDIS_URL):
        return [
            checks.Error(
                "The job queue shares the cache's Redis server.",
                hint="Set redis_queue_url (BJ_REDIS_QUEUE_URL) to a separate Redis with appendonly yes.",
                id="lowcode.E101",
            )
        ]
    return []
