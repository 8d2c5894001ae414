"""The network adapters against a real HTTP server on 127.0.0.1, counting what reaches it."""

import datetime as dt
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from apps.bj_enrollment import registries
from apps.bj_enrollment.registries.base import Person, PropertyRecord, RecordNotFound, RegistryUnavailable
from apps.bj_enrollment.registries.http import HttpPopulationRegistry

PERSON = {
    "name": "李东东",
    "birth_date": "2020-03-15",
    "gender": "male",
    "hukou_province": "北京市",
    "hukou_district": "110101",
    "hukou_address": "东四十条1号",
    "household_number": "110101000123",
}
CERTIFICATE = "京(2019)不动产权第0000042号"


class _Handler(BaseHTTPRequestHandler):
    hits: Counter
    keys: list

    def do_GET(self):  # noqa: N802 (the http.server API)
        path = unquote(self.path)
        self.hits[path] += 1
        self.keys.append(self.headers.get("X-App-Key"))
        last = path.rsplit("/", 1)[-1]
        if last == "slow":
            time.sleep(0.6)
        if path == "/population/persons/resident_id/OK" or last == "slow":
            self._send(200, json.dumps(PERSON).encode())
        elif path == f"/real-estate/certificates/{CERTIFICATE}":
            body = {
                "owners": ["王大明", "李芳"],
                "address": "东四十条1号",
                "district": "110101",
                "certificate_date": "2019-06-01",
                "type": "商品房",
            }
            self._send(200, json.dumps(body).encode())
        elif path == "/residence-permits/BROKEN":
            self._send(200, json.dumps({"permit_number": "1", "held_since": "soon"}).encode())
        elif last == "ERROR":
            self._send(500, b"{}")
        elif last == "GARBAGE":
            self._send(200, b"<html>gateway</html>")
        else:
            self._send(404, b'{"error": "not found"}')

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up after its read timeout

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    handler = type("Handler", (_Handler,), {"hits": Counter(), "keys": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def http_settings(settings, server):
    httpd, _handler = server
    settings.REGISTRY_ADAPTER = "http"
    settings.REGISTRY_SETTINGS = {
        "base_url": f"http://127.0.0.1:{httpd.server_port}/",
        "app_key": "test-key",
        "connect_timeout": 1,
        "read_timeout": 0.3,
        "retries": 2,
        "backoff": 0,
    }
    return settings


def test_person_lookup_ok_returns_record(server, http_settings):
    person = registries.population().person("resident_id", "OK")
    assert person == Person(
        id_type="resident_id",
        id_number="OK",
        name="李东东",
        birth_date=dt.date(2020, 3, 15),
        gender="male",
        hukou_province="北京市",
        hukou_district="110101",
        hukou_address="东四十条1号",
        household_number="110101000123",
    )
    assert person.beijing_hukou
    assert server[1].keys == ["test-key"]


def test_certificate_lookup_encodes_chinese_path(server, http_settings):
    record = registries.real_estate().certificate(CERTIFICATE)
    assert record == PropertyRecord(
        CERTIFICATE, ("王大明", "李芳"), "东四十条1号", "110101", dt.date(2019, 6, 1), "商品房"
    )


def test_lookup_404_raises_not_found_without_retry(server, http_settings):
    with pytest.raises(RecordNotFound):
        registries.population().person("resident_id", "NOBODY")
    assert server[1].hits["/population/persons/resident_id/NOBODY"] == 1


def test_lookup_500_retried_then_unavailable(server, http_settings):
    with pytest.raises(RegistryUnavailable, match="HTTP 500"):
        registries.residence_permits().permit("ERROR")
    assert server[1].hits["/residence-permits/ERROR"] == 3


def test_lookup_timeout_retried_then_unavailable(server, http_settings):
    started = time.perf_counter()
    with pytest.raises(RegistryUnavailable):
        registries.population().person("resident_id", "slow")
    assert server[1].hits["/population/persons/resident_id/slow"] == 3
    assert time.perf_counter() - started < 3


def test_lookup_garbage_unavailable(server, http_settings):
    with pytest.raises(RegistryUnavailable, match="unreadable JSON"):
        registries.real_estate().certificate("GARBAGE")


def test_lookup_unreadable_field_unavailable(server, http_settings):
    with pytest.raises(RegistryUnavailable, match="unreadable date"):
        registries.residence_permits().permit("BROKEN")


def test_lookup_refused_connection_unavailable():
    with pytest.raises(RegistryUnavailable):
        HttpPopulationRegistry("http://127.0.0.1:9", retries=0, connect_timeout=0.5).person("resident_id", "OK")


def test_http_adapter_per_registry_base_url_overrides(settings, server):
    httpd, _handler = server
    settings.REGISTRY_ADAPTER = "http"
    settings.REGISTRY_SETTINGS = {
        "base_url": "http://127.0.0.1:9",
        "retries": 0,
        "population": {"base_url": f"http://127.0.0.1:{httpd.server_port}"},
    }
    assert registries.population().person("resident_id", "OK").name == "李东东"
    with pytest.raises(RegistryUnavailable):
        registries.real_estate().certificate(CERTIFICATE)


def _breaker(http_settings, failures=2, open_seconds=0.5):
    http_settings.REGISTRY_SETTINGS = {
        **http_settings.REGISTRY_SETTINGS,
        "retries": 0,
        "breaker_failures": failures,
        "breaker_open_seconds": open_seconds,
    }


def test_breaker_opens_after_failures_then_one_trial_closes_it(server, http_settings):
    _breaker(http_settings)
    hits = server[1].hits
    for _ in range(2):
        with pytest.raises(RegistryUnavailable, match="HTTP 500"):
            registries.residence_permits().permit("ERROR")
    started = time.perf_counter()
    with pytest.raises(RegistryUnavailable, match="circuit open"):  # answered at once, nothing sent
        registries.residence_permits().permit("X")
    assert time.perf_counter() - started < 0.1
    assert sum(hits.values()) == 2
    assert registries.population().person("resident_id", "OK").name == "李东东"  # another registry's breaker

    time.sleep(0.6)  # open time over: one trial call goes through, its answer closes the breaker
    with pytest.raises(RecordNotFound):
        registries.residence_permits().permit("NOBODY")
    for _ in range(2):  # closed: calls reach the registry again, failures are counted afresh
        with pytest.raises(RegistryUnavailable, match="HTTP 500"):
            registries.residence_permits().permit("ERROR")
    assert hits["/residence-permits/ERROR"] == 4 and hits["/residence-permits/NOBODY"] == 1


def test_breaker_failed_trial_opens_it_again(server, http_settings):
    _breaker(http_settings)
    hits = server[1].hits
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            registries.residence_permits().permit("ERROR")
    time.sleep(0.6)
    with pytest.raises(RegistryUnavailable, match="HTTP 500"):  # the trial, still failing
        registries.residence_permits().permit("ERROR")
    with pytest.raises(RegistryUnavailable, match="circuit open"):
        registries.residence_permits().permit("ERROR")
    assert hits["/residence-permits/ERROR"] == 3


def test_deadline_bounds_a_request_of_retried_timeouts(server, http_settings):
    http_settings.REGISTRY_SETTINGS = {**http_settings.REGISTRY_SETTINGS, "read_timeout": 0.5, "retries": 3}
    started = time.perf_counter()
    with registries.deadline(0.4), pytest.raises(RegistryUnavailable, match="within the deadline"):
        registries.population().person("resident_id", "slow")
    assert time.perf_counter() - started < 0.6  # not 4 × 0.5 s
