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


# The largest single statement the platform sends: a city-wide lottery's input or output document
# (about 25 MB for 150,000 students with 10 preferences), with room to grow. deploy/mariadb.cnf sets it.
MIN_PACKET_BYTES = 256 * 1024 * 1024


@checks.register(deploy=True)
def database_takes_large_documents(app_configs=None, **kwargs):
    """MariaDB's 16 MB default packet refuses a city-wide lottery document ("server has gone away")."""
    from django.db import connection

    if connection.vendor != "mysql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@global.max_allowed_packet")
        (packet,) = cursor.fetchone()
    if int(packet) >= MIN_PACKET_BYTES:
        return []
    return [
        checks.Error(
            f"MariaDB's max_allowed_packet is {int(packet) // 2**20} MB; a city-wide lottery document needs "
            f"{MIN_PACKET_BYTES // 2**20} MB.",
            hint="Install deploy/mariadb.cnf as /etc/mysql/mariadb.conf.d/60-bj-enrollment.cnf and restart MariaDB.",
            id="lowcode.E102",
        )
    ]
