"""Issue 11 hole 10: the web process's access log (gunicorn, as the Procfile starts it) records the
path, never the query string or the Referer, where a searched ID or mobile number would travel."""

import os
import time
import urllib.error
import urllib.request

from tests.test_procfile import BIN, _free_port, _procfile, _shell

ID_NUMBER = "11010120200315643X"
MOBILE = "13987654321"


def test_access_log_keeps_personal_data_out():
    port = _free_port()
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "BJ_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    proc = _shell(_procfile()["web"], env)
    path = "/static/bj_enrollment/desk.css"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}?q={ID_NUMBER}&mobile={MOBILE}",
        headers={"Referer": f"http://127.0.0.1:{port}/desk/?q={ID_NUMBER}"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a local test server
                    assert response.status == 200
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, 15)
        log = proc.communicate(timeout=30)[0]
    logged = [line for line in log.splitlines() if path in line]
    assert logged, log  # the request is in the access log, by its path
    assert ID_NUMBER not in log and MOBILE not in log
    assert all('"GET /static/bj_enrollment/desk.css HTTP/1.1" 200' in line for line in logged)
