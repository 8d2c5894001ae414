"""The registries the checks consult, chosen by settings.REGISTRY_ADAPTER ("simulator" | "http").

For "http", settings.REGISTRY_SETTINGS holds the common transport settings (see http.py), which a
block per registry ("population", "real_estate", "residence_permits", "students") may override, e.g. its own base_url.
Either adapter is handed out behind its circuit breaker and the request's deadline (guard.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.bj_enrollment.registries import guard, simulator
from apps.bj_enrollment.registries.base import (
    Person,
    PopulationRegistry,
    PropertyRecord,
    RealEstateRegistry,
    RecordNotFound,
    RegistryError,
    RegistryUnavailable,
    ResidencePermit,
    ResidencePermitRegistry,
    StudentRecord,
    StudentRegistry,
)

__all__ = [
    "Person",
    "PropertyRecord",
    "RecordNotFound",
    "RegistryError",
    "RegistryUnavailable",
    "ResidencePermit",
    "StudentRecord",
    "deadline",
    "population",
    "real_estate",
    "residence_permits",
    "student_registry",
]


deadline = guard.deadline


def _http_config(name: str) -> dict:
    common = dict(settings.REGISTRY_SETTINGS)
    return {**{k: v for k, v in common.items() if not isinstance(v, dict)}, **common.get(name, {})}


def _adapter(name: str, simulated, http_class_name: str):
    kind = settings.REGISTRY_ADAPTER
    if kind == "simulator":
        return guard.Guarded(simulated(), guard.Breaker(name, str(simulator.directory())))
    if kind == "http":
        from apps.bj_enrollment.registries import http

        config = _http_config(name)
        adapter = getattr(http, http_class_name).from_settings(config)
        return guard.Guarded(adapter, guard.Breaker(name, config.get("base_url", "")))
    raise ImproperlyConfigured(f"REGISTRY_ADAPTER must be 'simulator' or 'http', not {kind!r}")


def population() -> PopulationRegistry:
    return _adapter(simulator.POPULATION, simulator.SimulatedPopulationRegistry, "HttpPopulationRegistry")


def real_estate() -> RealEstateRegistry:
    return _adapter(simulator.REAL_ESTATE, simulator.SimulatedRealEstateRegistry, "HttpRealEstateRegistry")


def residence_permits() -> ResidencePermitRegistry:
    return _adapter(
        simulator.RESIDENCE_PERMITS, simulator.SimulatedResidencePermitRegistry, "HttpResidencePermitRegistry"
    )


def student_registry() -> StudentRegistry:
    """The student registry (电子学籍): the graduates the junior-high import reads (R37)."""
    return _adapter(simulator.STUDENTS, simulator.SimulatedStudentRegistry, "HttpStudentRegistry")
