"""Suite-wide set-up: the README's test command runs on MariaDB and Redis and must fail loudly
(never skip) when either is missing."""

import os

import django_rq
import pytest
from django.db import connection
from rq import SimpleWorker

REQUIRE_SERVERS = os.environ.get("BJ_REQUIRE_SERVERS") == "1" or os.environ.get("CI") == "true"


def pytest_sessionstart(session):
    if not REQUIRE_SERVERS:
        return
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.mysql":
        problems.append("the site has no MariaDB db_url")
    else:
        import MySQLdb

        db = settings.DATABASES["default"]
        try:
            MySQLdb.connect(
                host=db["HOST"] or "localhost",
                user=db["USER"],
                password=db["PASSWORD"],
                port=int(db["PORT"] or 3306),
                connect_timeout=5,
            ).close()
        except MySQLdb.Error as exc:
            problems.append(f"MariaDB unreachable: {exc}")
    if not settings.REDIS_URL:
        problems.append("the site has no redis_url")
    else:
        import redis

        for what, url in (("Redis", settings.REDIS_URL), ("queue Redis", settings.REDIS_QUEUE_URL)):
            try:
                redis.Redis.from_url(url, socket_connect_timeout=5).ping()
            except redis.RedisError as exc:
                problems.append(f"{what} unreachable: {exc}")
    if problems:
        pytest.exit("test servers missing: " + "; ".join(problems), returncode=3)


@pytest.fixture
def city(db):
    from tests import factories

    return factories.City.build()


@pytest.fixture(autouse=True)
def _fresh_kept_definitions():
    """Each test has a database of its own; what a process keeps between requests (workflow and
    custom-field definitions, apps/lowcode/stamps.py) must not come from the previous test's."""
    from apps.lowcode import stamps

    stamps.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread; reverse() would then build /en/ URLs."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _print_in_process(settings):
    """Prints render in the request here: a print worker could not see the test's uncommitted rows.
    tests/bj_enrollment/portal/test_stored_form.py follows the print queue's own path."""
    settings.PRINT_IN_PROCESS = True


@pytest.fixture
def queue():
    """The RQ queue on the suite's queue Redis, empty (registries too) before and after the test."""
    q, long = django_rq.get_queue("default"), django_rq.get_queue("long")
    for each in (q, long):
        each.empty()
        for registry in (each.scheduled_job_registry, each.failed_job_registry, each.finished_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
    yield q
    q.empty()
    long.empty()


@pytest.fixture
def run_jobs(queue):
    """Run what the code queued the way production does. The test's transaction never commits, so
    first hand over what waits for the commit (the outbox's dispatch to Redis), then let an RQ worker
    run the queue until it is empty."""

    def run():
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in pending:
            callback()
        # the Procfile's worker takes both queues: "default" and "long" (a city's draw, import, export)
        SimpleWorker([queue, django_rq.get_queue("long")], connection=queue.connection).work(burst=True)

    return run
