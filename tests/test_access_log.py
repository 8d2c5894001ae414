"""Issue 11 hole 10: the web process's access log (gunicorn, as the Procfile starts it) and the
development server's request log record the path, never the query string or the Referer, where a
searched ID or mobile number would travel."""

import os
import sys
import time
import urllib.error
import urllib.request

from tests.test_procfile import BIN, _free_port, _procfile, _shell

ID_NUMBER = "11010120200315643X"
MOBILE = "13987654321"
PATH = "/static/bj_enrollment/desk.css"


def _served_log(command: str, port: int) -> str:
    """Starts the server, asks for PATH with personal data in the query and the Referer, returns its output."""
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "BJ_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    proc = _shell(command, env)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{PATH}?q={ID_NUMBER}&mobile={MOBILE}",
        headers={"Referer": f"http://127.0.0.1:{port}/desk/?q={ID_NUMBER}"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - a local test server
                    break
            except urllib.error.HTTPError:
                break  # answered: the log line is written whatever the status
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        time.sleep(0.5)
    finally:
        os.killpg(proc.pid, 15)
        log = proc.communicate(timeout=30)[0]
    return log


def test_gunicorn_access_log_keeps_personal_data_out():
    log = _served_log(_procfile()["web"], _free_port())
    logged = [line for line in log.splitlines() if PATH in line]
    assert logged, log  # the request is in the access log, by its path
    assert ID_NUMBER not in log and MOBILE not in log
    assert all(f'"GET {PATH} HTTP/1.1" 200' in line for line in logged)


def test_development_server_log_keeps_personal_data_out():
    port = _free_port()
    log = _served_log(f"{sys.executable} manage.py runserver --noreload 127.0.0.1:{port}", port)
    assert [line for line in log.splitlines() if f'"GET {PATH} HTTP/1.1"' in line], log
    assert ID_NUMBER not in log and MOBILE not in log
