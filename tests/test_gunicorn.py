"""#13.12: two sites' gunicorns under one user each keep their own control socket; stopping one leaves
the other's in place and answering."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path, site, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BJ_") and k != "XDG_RUNTIME_DIR"}
    # HOME in tmp: gunicorn's default socket (~/.gunicorn/gunicorn.ctl) would show up there
    env.update(BJ_SITES_DIR=str(tmp_path / "sites"), BJ_SITE=site, HOME=str(tmp_path), **extra)
    return env


def _site(tmp_path, name):
    folder = tmp_path / "sites" / name
    folder.mkdir(parents=True)
    (folder / "site_config.json").write_text(json.dumps({"secret_key": name * 25, "https": False}))
    return folder


def _config(env):
    code = "import json; from config import gunicorn as g; "
    code += "print(json.dumps([g.bind, g.workers, g.timeout, g.control_socket]))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_config_takes_bind_and_workers_from_the_environment_and_a_socket_per_site(tmp_path):
    env = _env(tmp_path, "east", BJ_BIND="127.0.0.1:9001,[::1]:9001", WEB_CONCURRENCY="5")
    assert _config(env) == [
        ["127.0.0.1:9001", "[::1]:9001"],
        5,
        30,
        str(tmp_path / "sites" / "east" / "gunicorn.ctl"),
    ]
    assert _config(_env(tmp_path, "west"))[3] == str(tmp_path / "sites" / "west" / "gunicorn.ctl")


def _gunicornc(sock, env):
    return subprocess.run(
        [str(BIN / "gunicornc"), "-s", str(sock), "-c", "show workers", "-j"],
        env=env,
        capture_output=True,
        text=True,
        timeout=15,
    )


def test_two_sites_keep_their_own_control_sockets(tmp_path):
    folders = {name: _site(tmp_path, name) for name in ("east", "west")}
    procs = {}
    try:
        for name in folders:
            env = _env(tmp_path, name, BJ_BIND=f"127.0.0.1:{_free_port()}", WEB_CONCURRENCY="1")
            procs[name] = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        sockets = {name: folder / "gunicorn.ctl" for name, folder in folders.items()}
        deadline = time.monotonic() + 60
        while not all(s.is_socket() for s in sockets.values()) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in procs.values())
            time.sleep(0.3)
        assert all(s.is_socket() for s in sockets.values())
        assert not (tmp_path / ".gunicorn").exists()

        os.killpg(procs["west"].pid, signal.SIGTERM)
        procs["west"].wait(timeout=30)
        assert not sockets["west"].exists()
        assert sockets["east"].is_socket()
        answer = _gunicornc(sockets["east"], _env(tmp_path, "east"))
        assert answer.returncode == 0, answer.stdout + answer.stderr
        assert json.loads(answer.stdout)["count"] == 1
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


def test_workers_fork_from_the_loaded_application_without_its_connections(tmp_path):
    """#17: the master loads the application, its URLs and pypinyin before forking, so the workers share
    those pages; a database connection opened while loading is closed first (else every worker would
    talk over one socket), and the collector leaves the shared objects alone (gc.freeze) and runs about
    once a page, not dozens of times (its thresholds raised)."""
    _site(tmp_path, "east")
    code = (
        "import gc, json, sys; from config import gunicorn as g; import config.wsgi; "
        "from django.db import connection; connection.ensure_connection(); "
        "loaded = sorted({'config.urls', 'pypinyin'} & set(sys.modules)); "
        "g.when_ready(None); g.pre_fork(None, None); "
        "print(json.dumps([g.preload_app, loaded, sorted({'config.urls', 'pypinyin'} & set(sys.modules)), "
        "connection.connection is None, gc.get_freeze_count() > 0, gc.get_threshold()[0]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path, "east"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[-1]) == [True, [], ["config.urls", "pypinyin"], True, True, 50_000]
