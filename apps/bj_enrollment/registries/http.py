"""Network adapters for the government registries, over one pooled `requests` session each.

JSON contract (all GET, all idempotent, UTF-8 JSON bodies; path parts are percent-encoded):

    GET {base_url}/population/persons/{id_type}/{id_number}
        200 {"name": "李东东", "birth_date": "2020-03-15", "gender": "male",
             "hukou_province": "北京市", "hukou_district": "110101",
             "hukou_address": "东城区东四十条1号", "household_number": "110101000123"}
    GET {base_url}/real-estate/certificates/{certificate_number}
        200 {"owners": ["王大明", "李芳"], "address": "东四十条1号", "district": "110101",
             "certificate_date": "2019-06-01", "type": "商品房", "owner_ids": ["110101…", "…"]}
    GET {base_url}/real-estate/owners/{id_number}/certificates
        200 {"certificates": [{"certificate_number": "…", …the fields above…}]}   (404: owns none)
    GET {base_url}/residence-permits/{guardian_id_number}
        200 {"permit_number": "110105201900123", "held_since": "2021-05-01"}
    GET {base_url}/student-registry/schools/{school_code}/graduates/{year}
        200 {"graduates": [{"education_id": "G110101…", "name": "李东华", "graduating_school": "11…",
             "id_type": "resident_id", "id_number": "…", "birth_date": "2014-03-15", "gender": "male",
             "hukou_province": "北京市", "hukou_district": "110101", "hukou_address": "…",
             "graduating_class": "六年级1班", "mobile": "139…",
             "guardians": [{"name": "李大华", "relationship": "father", "phone": "139…", "id_number": "…"}]}]}
        (404: the registry has no graduates of that school and year)
    GET {base_url}/student-registry/students/{education_id}
        200 {one graduate, as above}

    404 = no such record (RecordNotFound). Anything else that is not a 200 with the fields above
    (timeouts, refused connections, 5xx after the retries, 401/403, unreadable JSON) is
    RegistryUnavailable: the caller leaves the check pending and asks again later.

Settings (settings.REGISTRY_SETTINGS, from the site's "registry" block):
    base_url, app_key (sent as the X-App-Key header), connect_timeout (s, default 3),
    read_timeout (s, default 10), retries (default 2), backoff (urllib3 backoff_factor, default 0.5).
"""

from __future__ import annotations

from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from apps.bj_enrollment.registries.base import (
    Person,
    PropertyRecord,
    RecordNotFound,
    RegistryUnavailable,
    ResidencePermit,
    StudentRecord,
    permit_from_json,
    person_from_json,
    property_from_json,
    student_from_json,
)


class HttpRegistry:
    """Shared transport: base URL, key header, timeouts and retries with backoff for GETs."""

    def __init__(
        self,
        base_url: str,
        app_key: str = "",
        *,
        connect_timeout: float = 3,
        read_timeout: float = 10,
        retries: int = 2,
        backoff: float = 0.5,
    ):
        if not base_url:
            raise ValueError("registry base_url is not configured")
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            respect_retry_after_header=False,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers.update({"Accept": "application/json"})
        if app_key:
            self.session.headers["X-App-Key"] = app_key

    @classmethod
    def from_settings(cls, config: dict):
        return cls(
            config.get("base_url", ""),
            config.get("app_key", ""),
            connect_timeout=float(config.get("connect_timeout", 3)),
            read_timeout=float(config.get("read_timeout", 10)),
            retries=int(config.get("retries", 2)),
            backoff=float(config.get("backoff", 0.5)),
        )

    def get_json(self, *parts: str) -> dict:
        url = self.base_url + "/" + "/".join(quote(p, safe="") for p in parts)
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise RegistryUnavailable(f"{url}: {exc.__class__.__name__}") from exc
        if response.status_code == 404:
            raise RecordNotFound(url)
        if response.status_code != 200:
            raise RegistryUnavailable(f"{url}: HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise RegistryUnavailable(f"{url}: unreadable JSON") from exc
        if not isinstance(data, dict):
            raise RegistryUnavailable(f"{url}: expected a JSON object")
        return data


class HttpPopulationRegistry(HttpRegistry):
    def person(self, id_type: str, id_number: str) -> Person:
        return person_from_json(self.get_json("population", "persons", id_type, id_number), id_type, id_number)


class HttpRealEstateRegistry(HttpRegistry):
    def certificate(self, certificate_number: str) -> PropertyRecord:
        data = self.get_json("real-estate", "certificates", certificate_number)
        return property_from_json(data, certificate_number)

    def owned_by(self, id_number: str) -> tuple[PropertyRecord, ...]:
        """GET real-estate/owners/<id>/certificates → {"certificates": [{"certificate_number": …, …}]};
        a 404 means the registry knows no property of this person."""
        try:
            data = self.get_json("real-estate", "owners", id_number, "certificates")
        except RecordNotFound:
            return ()
        rows = data.get("certificates")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RegistryUnavailable("real-estate owners: expected a list of certificates")
        return tuple(property_from_json(row, str(row.get("certificate_number", ""))) for row in rows)


class HttpResidencePermitRegistry(HttpRegistry):
    def permit(self, id_number: str) -> ResidencePermit:
        return permit_from_json(self.get_json("residence-permits", id_number), id_number)


class HttpStudentRegistry(HttpRegistry):
    def graduates(self, school_code: str, year: int) -> tuple[StudentRecord, ...]:
        try:
            data = self.get_json("student-registry", "schools", school_code, "graduates", str(year))
        except RecordNotFound:
            return ()
        rows = data.get("graduates")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RegistryUnavailable("student registry: expected a list of graduates")
        return tuple(student_from_json(row) for row in rows)

    def student(self, education_id: str) -> StudentRecord:
        return student_from_json(
            {"education_id": education_id, **self.get_json("student-registry", "students", education_id)}
        )
