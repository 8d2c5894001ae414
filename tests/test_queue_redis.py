"""#13.2: jobs live in their own append-only Redis, apart from the cache and sessions; a production
site that shares one Redis fails `check --deploy`, and the suite refuses to run without the queue Redis."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import redis
from django.conf import settings
from rq import Queue, SimpleWorker

from tests import queue_redis_server

ROOT = Path(__file__).resolve().parent.parent


def _site_env(tmp_path, name, **conf):
    (tmp_path / name).mkdir()
    (tmp_path / name / "site_config.json").write_text(json.dumps(conf))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BJ_")}
    env.update(BJ_SITES_DIR=str(tmp_path), BJ_SITE=name, DJANGO_SETTINGS_MODULE="config.settings")
    return env


def _python(env, code, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _production(tmp_path, **extra):
    return _site_env(
        tmp_path,
        "prod",
        secret_key="x" * 20 + os.urandom(24).hex(),
        debug=False,
        allowed_hosts=["enroll.example.gov.cn"],
        db_url=settings.DB_URL,
        redis_url=settings.REDIS_URL,
        **extra,
    )


def _deploy_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_queues_use_the_queue_redis_and_the_cache_its_own(tmp_path):
    env = _site_env(
        tmp_path,
        "split",
        secret_key="k" * 50,
        db_url="mysql://u:p@localhost/bj",
        redis_url="redis://127.0.0.1:6379/3",
        redis_queue_url="redis://127.0.0.1:6380/3",
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        " print(json.dumps([s.CACHES['default']['LOCATION'], {n: q['URL'] for n, q in s.RQ_QUEUES.items()}]))"
    )
    out = _python(env, code)
    assert out.returncode == 0, out.stderr
    cache, queues = json.loads(out.stdout)
    assert cache == "redis://127.0.0.1:6379/3"
    assert set(queues) == {"default", "long", "print"}  # print: the PDF worker's own queue
    assert set(queues.values()) == {"redis://127.0.0.1:6380/3"}


def test_environment_names_the_queue_redis(tmp_path):
    env = _site_env(tmp_path, "envq", secret_key="k" * 50, redis_url="redis://127.0.0.1:6379/3")
    env["BJ_REDIS_QUEUE_URL"] = "redis://queue.internal:6380/0"
    out = _python(
        env,
        "import django; django.setup(); from django.conf import settings as s; print(s.RQ_QUEUES['default']['URL'])",
    )
    assert out.stdout.strip() == "redis://queue.internal:6380/0", out.stderr


def test_production_site_sharing_one_redis_fails_the_deploy_check(tmp_path):
    # another database number on the same server still shares its snapshots
    result = _deploy_check(_production(tmp_path, redis_queue_url=settings.REDIS_URL.rsplit("/", 1)[0] + "/15"))
    assert result.returncode != 0
    assert "lowcode.E101" in result.stdout + result.stderr


def test_production_site_without_a_queue_redis_fails_the_deploy_check(tmp_path):
    result = _deploy_check(_production(tmp_path))
    assert result.returncode != 0
    assert "lowcode.E101" in result.stdout + result.stderr


def test_the_suites_queue_redis_is_another_server_with_append_only_persistence():
    queue = redis.Redis.from_url(settings.REDIS_QUEUE_URL)
    cache = redis.Redis.from_url(settings.REDIS_URL)
    assert queue.info("server")["run_id"] != cache.info("server")["run_id"]
    assert queue.config_get("appendonly") == {"appendonly": "yes"}
    assert queue.config_get("appendfsync") == {"appendfsync": "everysec"}
    assert queue.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}


def test_an_enqueued_job_is_stored_in_the_queue_redis_only():
    job = django_rq.get_queue("default").enqueue("builtins.len", "abc")
    try:
        key = f"rq:job:{job.id}".encode()
        assert redis.Redis.from_url(settings.REDIS_QUEUE_URL).exists(key) == 1
        assert redis.Redis.from_url(settings.REDIS_URL).exists(key) == 0
    finally:
        job.delete()


def test_a_crash_of_the_queue_redis_neither_replays_run_jobs_nor_loses_queued_ones(tmp_path):
    """The fault of #13.2 injected: jobs run, more queued, the queue Redis killed (SIGKILL) and started
    again over its append-only files. With snapshots it came back with jobs that had run and without
    the newer ones."""
    with queue_redis_server.running(tmp_path) as server:
        connection = redis.Redis.from_url(server.url)
        queue = Queue("default", connection=connection)
        first = [queue.enqueue("builtins.len", "x" * n) for n in range(6)]
        SimpleWorker([queue], connection=connection).work(burst=True, max_jobs=4)
        later = [queue.enqueue("builtins.len", "y" * n) for n in range(5)]
        time.sleep(1.5)  # appendfsync everysec: at most the last second is at risk
        server.kill()
        queue = Queue("default", connection=server.start())
        assert queue.get_job_ids() == [job.id for job in first[4:] + later]
        assert all(queue.fetch_job(job.id).get_status() == "finished" for job in first[:4])
