"""The student registry's HTTP adapter against a real HTTP server on 127.0.0.1: the contract of
registries/http.py, a school without graduates, and an outage as RegistryUnavailable (never an empty list)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from django.core.cache import cache

from apps.bj_enrollment import registries

GRADUATE = {
    "education_id": "G110101201403150011", "name": "李东华", "graduating_school": "1101010001",
    "id_type": "resident_id", "id_number": "110101201403150011", "birth_date": "2014-03-15", "gender": "male",
    "hukou_province": "北京市", "hukou_district": "110101", "hukou_address": "东四十条1号",
    "graduating_class": "六年级1班", "mobile": "13912345678",
    "guardians": [{"name": "李大华", "relationship": "father", "phone": "13912345678"}],
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        path = unquote(self.path)
        if path == "/student-registry/schools/1101010001/graduates/2026":
            self._send(200, {"graduates": [GRADUATE]})
        elif path == "/student-registry/students/G110101201403150011":
            self._send(200, {k: v for k, v in GRADUATE.items() if k != "education_id"})
        elif path.startswith("/student-registry/schools/1101019999/"):
            self._send(503, {})
        elif path.startswith("/student-registry/schools/1101010002/"):
            self._send(200, {"graduates": "none"})
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def registry(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.REGISTRY_ADAPTER = "http"
    settings.REGISTRY_SETTINGS = {"base_url": f"http://127.0.0.1:{server.server_port}", "retries": 0,
                                  "backoff": 0, "read_timeout": 2, "breaker_failures": 100}
    cache.clear()
    yield registries.student_registry()
    server.shutdown()
    cache.clear()


def test_graduates_of_a_school_and_one_student(registry):
    (graduate,) = registry.graduates("1101010001", 2026)
    assert (graduate.education_id, graduate.name, graduate.birth_date, graduate.graduating_school) == (
        "G110101201403150011", "李东华", dt.date(2014, 3, 15), "1101010001")
    assert [(g.name, g.relationship) for g in graduate.guardians] == [("李大华", "father")]
    assert registry.student("G110101201403150011") == graduate


def test_a_school_without_graduates_is_empty_and_an_unknown_student_not_found(registry):
    assert registry.graduates("1101010003", 2026) == ()
    with pytest.raises(registries.RecordNotFound):
        registry.student("G0000000000")


@pytest.mark.parametrize("school", ["1101019999", "1101010002"], ids=["5xx", "unreadable"])
def test_an_outage_or_an_unreadable_answer_is_unavailable(registry, school):
    with pytest.raises(registries.RegistryUnavailable):
        registry.graduates(school, 2026)
