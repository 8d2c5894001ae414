"""#13.3: the worker survives its Redis dropping mid-job. A queue Redis of its own (deploy/redis-queue.conf
on a free port) is killed while a job runs and started again; `keep_running` waits with back-off,
restarts the worker, and the next job runs. Bounded: about 25 s."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from rq import Queue

from tests import queue_redis_server
from tests.queue_redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def queue_redis(tmp_path):
    with queue_redis_server.running(tmp_path) as server:
        yield server


def _wait(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_restarts_after_its_redis_dropped_mid_job(queue_redis, tmp_path):
    env = {**os.environ, "BJ_REDIS_URL": queue_redis.url, "BJ_REDIS_QUEUE_URL": queue_redis.url}
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "config.keep_running", "--first-delay", ".5", "--max-delay", "2", "rqworker", "default"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        queue = Queue("default", connection=redis.Redis.from_url(queue_redis.url))
        queue.enqueue("time.sleep", 2)
        assert _wait(lambda: queue.started_job_registry.count == 1, 30), "the worker never took the job"
        queue_redis.kill()  # mid-job, and down until after the job ended: RQ's worker then exits
        time.sleep(6)
        assert supervisor.poll() is None
        queue = Queue("default", connection=queue_redis.start())
        done = tmp_path / "done"
        queue.enqueue("os.mkdir", str(done))
        assert _wait(done.exists, 40), "no job ran after Redis came back"
        assert supervisor.poll() is None

        os.kill(supervisor.pid, signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        output = supervisor.communicate(timeout=10)[0]
    assert "rqworker exited with status 1; restarting" in output, output


def test_stop_signal_ends_the_wait_for_an_absent_redis():
    url = f"redis://127.0.0.1:{free_port()}/0"
    env = {**os.environ, "BJ_REDIS_URL": url, "BJ_REDIS_QUEUE_URL": url}
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "config.keep_running", "--first-delay", "30", "rqworker", "default"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(60, supervisor.kill)
    watchdog.start()
    try:
        first = supervisor.stdout.readline()  # the supervisor is now waiting 30 s before its next try
        assert "queue Redis unreachable" in first, first
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=5) == 0  # not after the 30 s wait
    finally:
        watchdog.cancel()
        if supervisor.poll() is None:
            supervisor.kill()
        supervisor.communicate(timeout=10)
