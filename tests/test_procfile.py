"""The Procfile's processes start for real against MariaDB and Redis."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shell(command, env):
    return subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


@pytest.fixture
def env():
    return {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}


def test_procfile_has_web_worker_printer_and_scheduler():
    assert set(_procfile()) == {"web", "worker", "printer", "scheduler"}


def test_web_process_serves_the_desk_login(env):
    port = _free_port()
    proc = _shell(_procfile()["web"], {**env, "BJ_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"})
    try:
        body, deadline = None, time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/desk/login/", timeout=5) as response:  # noqa: S310
                    assert response.status == 200
                    body = response.read().decode()
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.5)
        assert body and "入学服务平台" in body
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def _scheduled_jobs() -> int:
    """As many as the scheduler's configuration registers (apps/bj_enrollment/cron.py)."""
    from django_rq.cron import DjangoCronScheduler

    scheduler = DjangoCronScheduler()
    scheduler.load_config_from_file("apps.bj_enrollment.cron")
    return len(scheduler.get_jobs())


@pytest.mark.parametrize("name", ["worker", "printer", "scheduler"])
def test_worker_and_scheduler_start_and_stay_up(env, name):
    """Each says it is ready (the printer after warming its fonts, which on a new machine first makes
    the common-characters faces) and is still running a few seconds later."""
    expected = {"worker": "Listening on", "printer": "Listening on",
                "scheduler": f"Starting cron scheduler with {_scheduled_jobs()} jobs"}[name]
    proc = _shell(_procfile()[name], env)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)  # line by line
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any(expected in line for line in output) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)
        assert proc.poll() is None, "".join(output)
        assert any(expected in line for line in output), "".join(output)
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # never leave a worker behind to take later tests' jobs
            os.killpg(proc.pid, 9)
            proc.wait()
            raise
        reader.join(timeout=5)
