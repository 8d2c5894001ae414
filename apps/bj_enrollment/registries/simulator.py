"""A local stand-in for the registries, for the demo, development and tests.

Records live as JSON files in the site folder (settings.SITE_DIR / "registry_simulator", or
REGISTRY_SETTINGS["simulator_dir"]), one file per registry, in the same shape the HTTP contract
answers (see http.py). Files rather than the cache because the embedded demo has no Redis and the
web process and the RQ worker must see the same records: writes take an flock and replace the file
atomically, reads re-parse only when the file changed.

Faults are simulated per registry in faults.json (set_fault / set_outage / end_faults): a delay
before each answer and/or an HTTP error status, raised as RegistryUnavailable the way the HTTP
adapter reports a 5xx, so deadlines, the circuit breaker and the pending-and-retry path can be
tried through the same adapter interface the checks use.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

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

POPULATION = "population"
REAL_ESTATE = "real_estate"
RESIDENCE_PERMITS = "residence_permits"
STUDENTS = "students"  # keyed by education ID; each record names its school and "graduation_year"
NAMES = (POPULATION, REAL_ESTATE, RESIDENCE_PERMITS, STUDENTS)
_FAULTS = "faults"

_parsed: dict[Path, tuple[tuple[int, int, int], object]] = {}


def directory() -> Path:
    configured = settings.REGISTRY_SETTINGS.get("simulator_dir")
    return Path(configured) if configured else Path(settings.SITE_DIR) / "registry_simulator"


def person_key(id_type: str, id_number: str) -> str:
    return f"{id_type}:{id_number}"


def _path(name: str) -> Path:
    return directory() / f"{name}.json"


def _read(name: str, default):
    path = _path(name)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return default
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # every write replaces the file: a new inode
    cached = _parsed.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    _parsed[path] = (stamp, data)
    return data


@contextmanager
def _locked():
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(name: str, data) -> None:
    folder = directory()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    os.replace(tmp, _path(name))


def store(name: str, records: dict[str, dict]) -> None:
    """Add or replace records of one registry (keys: person_key(), certificate number, guardian ID number)."""
    if name not in NAMES:
        raise ValueError(f"unknown registry {name!r}")
    with _locked():
        data = dict(_read(name, {}))
        data.update(records)
        _write(name, data)


def clear() -> None:
    """Forget every record and end any fault."""
    with _locked():
        for name in (*NAMES, _FAULTS):
            _path(name).unlink(missing_ok=True)


def set_fault(*names: str, delay: float = 0.0, status: int | None = None) -> None:
    """Until end_faults(), make the named registries (all of them if none named) wait `delay` seconds
    before each answer and, with `status` (e.g. 500), then fail as that HTTP error would."""
    unknown = set(names) - set(NAMES)
    if unknown:
        raise ValueError(f"unknown registry {sorted(unknown)!r}")
    with _locked():
        faults = dict(_read(_FAULTS, {}))
        faults.update({name: {"delay": float(delay), "status": status} for name in names or NAMES})
        _write(_FAULTS, faults)


def set_outage(*names: str) -> None:
    """The named registries (all of them if none named) answer nothing (503) until end_faults()."""
    set_fault(*names, status=503)


def end_faults() -> None:
    with _locked():
        _path(_FAULTS).unlink(missing_ok=True)


def _answer(name: str) -> None:
    """The simulated fault of this registry, if any: its delay, then its error status."""
    fault = _read(_FAULTS, {}).get(name)
    if fault:
        time.sleep(fault["delay"])
        if fault["status"]:
            raise RegistryUnavailable(f"simulated HTTP {fault['status']} of the {name} registry")


def _lookup(name: str, key: str) -> dict:
    _answer(name)
    record = _read(name, {}).get(key)
    if record is None:
        raise RecordNotFound(key)
    return record


class SimulatedPopulationRegistry:
    def person(self, id_type: str, id_number: str) -> Person:
        record = _lookup(POPULATION, person_key(id_type, id_number))
        return person_from_json(record, id_type, id_number)


class SimulatedRealEstateRegistry:
    def certificate(self, certificate_number: str) -> PropertyRecord:
        return property_from_json(_lookup(REAL_ESTATE, certificate_number), certificate_number)

    def owned_by(self, id_number: str) -> tuple[PropertyRecord, ...]:
        _answer(REAL_ESTATE)
        records = _read(REAL_ESTATE, {})
        return tuple(
            property_from_json(record, number)
            for number, record in sorted(records.items())
            if id_number in (record.get("owner_ids") or ())
        )


class SimulatedResidencePermitRegistry:
    def permit(self, id_number: str) -> ResidencePermit:
        return permit_from_json(_lookup(RESIDENCE_PERMITS, id_number), id_number)


class SimulatedStudentRegistry:
    def graduates(self, school_code: str, year: int) -> tuple[StudentRecord, ...]:
        _answer(STUDENTS)
        return tuple(
            student_from_json({**record, "education_id": key})
            for key, record in sorted(_read(STUDENTS, {}).items())
            if record.get("graduating_school") == school_code and int(record.get("graduation_year", 0)) == year
        )

    def student(self, education_id: str) -> StudentRecord:
        return student_from_json({**_lookup(STUDENTS, education_id), "education_id": education_id})
