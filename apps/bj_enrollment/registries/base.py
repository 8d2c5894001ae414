"""The registries the checks consult (R16, R18, R19) and the student registry the junior-high import
reads (R37), as small interfaces with value results.

A lookup either returns a record, raises RecordNotFound (a definite answer: the registry does not know
it), or raises RegistryUnavailable (no answer at all: timeout, connection error, 5xx, unreadable reply),
which callers must treat as "try again later", never as a failed check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class RegistryError(Exception):
    """Base of every registry failure."""


class RegistryUnavailable(RegistryError):
    """No answer from the registry now; the same question may succeed later."""


class RecordNotFound(RegistryError):
    """The registry answered and has no such record."""


@dataclass(frozen=True)
class Person:
    """A person as the population registry (公安部人口信息) knows them."""

    id_type: str
    id_number: str
    name: str
    birth_date: dt.date
    gender: str  # Gender value: "male" | "female"
    hukou_province: str
    hukou_district: str = ""  # GB/T 2260 code, Beijing hukou only
    hukou_address: str = ""
    household_number: str = ""

    @property
    def beijing_hukou(self) -> bool:
        return self.hukou_province.startswith("北京")


@dataclass(frozen=True)
class PropertyRecord:
    """A real-estate certificate as the real-estate registry knows it."""

    certificate_number: str
    owners: tuple[str, ...]
    address: str
    district: str  # GB/T 2260 code
    certificate_date: dt.date
    property_type: str = ""
    owner_ids: tuple[str, ...] = ()  # the owners' ID numbers: what a look-up by person matches (R16)


@dataclass(frozen=True)
class ResidencePermit:
    """A guardian's Beijing residence permit and the start of its continuous validity."""

    id_number: str
    permit_number: str
    held_since: dt.date


@dataclass(frozen=True)
class GuardianRecord:
    name: str
    relationship: str = ""  # Relationship value when the registry gives one
    phone: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class StudentRecord:
    """A primary graduate as the student registry (电子学籍) knows them (R37)."""

    education_id: str
    name: str
    graduating_school: str  # the primary school's 10-digit code
    id_type: str = "resident_id"
    id_number: str = ""
    birth_date: dt.date | None = None
    gender: str = ""  # Gender value
    hukou_province: str = ""
    hukou_district: str = ""  # GB/T 2260 code, Beijing hukou only
    hukou_address: str = ""
    graduating_class: str = ""
    mobile: str = ""
    guardians: tuple[GuardianRecord, ...] = ()


class StudentRegistry(Protocol):
    def graduates(self, school_code: str, year: int) -> tuple[StudentRecord, ...]:
        """The school's graduates of `year` (empty when it has none)."""

    def student(self, education_id: str) -> StudentRecord: ...


class PopulationRegistry(Protocol):
    def person(self, id_type: str, id_number: str) -> Person: ...


class RealEstateRegistry(Protocol):
    def certificate(self, certificate_number: str) -> PropertyRecord: ...

    def owned_by(self, id_number: str) -> tuple[PropertyRecord, ...]:
        """Every certificate naming this ID number among its owners (empty when none)."""


class ResidencePermitRegistry(Protocol):
    def permit(self, id_number: str) -> ResidencePermit: ...


def parse_date(value) -> dt.date:
    """Registries answer ISO dates; anything else is an unreadable reply."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RegistryUnavailable(f"unreadable date {value!r}") from exc


def person_from_json(data: dict, id_type: str, id_number: str) -> Person:
    try:
        return Person(
            id_type=id_type,
            id_number=id_number,
            name=str(data["name"]),
            birth_date=parse_date(data["birth_date"]),
            gender=str(data["gender"]),
            hukou_province=str(data["hukou_province"]),
            hukou_district=str(data.get("hukou_district") or ""),
            hukou_address=str(data.get("hukou_address") or ""),
            household_number=str(data.get("household_number") or ""),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryUnavailable(f"unreadable person record: {exc!r}") from exc


def property_from_json(data: dict, certificate_number: str) -> PropertyRecord:
    try:
        owners = data["owners"]
        if isinstance(owners, str) or not isinstance(owners, list):
            raise TypeError("owners must be a list")
        return PropertyRecord(
            certificate_number=certificate_number,
            owners=tuple(str(o) for o in owners),
            address=str(data["address"]),
            district=str(data["district"]),
            certificate_date=parse_date(data["certificate_date"]),
            property_type=str(data.get("type") or ""),
            owner_ids=tuple(str(o) for o in data.get("owner_ids") or ()),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryUnavailable(f"unreadable certificate record: {exc!r}") from exc


def permit_from_json(data: dict, id_number: str) -> ResidencePermit:
    try:
        return ResidencePermit(
            id_number=id_number, permit_number=str(data["permit_number"]), held_since=parse_date(data["held_since"])
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryUnavailable(f"unreadable residence permit record: {exc!r}") from exc


def student_from_json(data: dict) -> StudentRecord:
    try:
        guardians = data.get("guardians") or []
        if not isinstance(guardians, list):
            raise TypeError("guardians must be a list")
        birth = data.get("birth_date")
        return StudentRecord(
            education_id=str(data["education_id"]),
            name=str(data["name"]),
            graduating_school=str(data["graduating_school"]),
            id_type=str(data.get("id_type") or "resident_id"),
            id_number=str(data.get("id_number") or ""),
            birth_date=parse_date(birth) if birth else None,
            gender=str(data.get("gender") or ""),
            hukou_province=str(data.get("hukou_province") or ""),
            hukou_district=str(data.get("hukou_district") or ""),
            hukou_address=str(data.get("hukou_address") or ""),
            graduating_class=str(data.get("graduating_class") or ""),
            mobile=str(data.get("mobile") or ""),
            guardians=tuple(
                GuardianRecord(
                    name=str(g["name"]),
                    relationship=str(g.get("relationship") or ""),
                    phone=str(g.get("phone") or ""),
                    id_number=str(g.get("id_number") or ""),
                )
                for g in guardians
            ),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryUnavailable(f"unreadable student record: {exc!r}") from exc
