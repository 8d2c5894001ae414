"""The registries the checks consult, chosen by settings.REGISTRY_ADAPTER ("simulator" | "http").

For "http", settings.REGISTRY_SETTINGS holds the common transport settings (see http.py), which a
block per registry ("population", "real_estate", "residence_permits") may override, e.g. its own base_url.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.bj_enrollment.registries import simulator
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
)

__all__ = [
    "Person",
    "PropertyRecord",
    "RecordNotFound",
    "RegistryError",
    "RegistryUnavailable",
    "ResidencePermit",
    "population",
    "real_estate",
    "residence_permits",
]


def _http_config(name: str) -> dict:
    common = dict(settings.REGISTRY_SETTINGS)
    return {**{k: v for k, v in common.items() if not isinstance(v, dict)}, **common.get(name, {})}


def _adapter(name: str, simulated, http_class_name: str):
    kind = settings.REGISTRY_ADAPTER
    if kind == "simulator":
        return simulated()
    if kind == "http":
        from apps.bj_enrollment.registries import http

        return getattr(http, http_class_name).from_settings(_http_config(name))
    raise ImproperlyConfigured(f"REGISTRY_ADAPTER must be 'simulator' or 'http', not {kind!r}")


def population() -> PopulationRegistry:
    return _adapter(simulator.POPULATION, simulator.SimulatedPopulationRegistry, "HttpPopulationRegistry")


def real_estate() -> RealEstateRegistry:
    return _adapter(simulator.REAL_ESTATE, simulator.SimulatedRealEstateRegistry, "HttpRealEstateRegistry")


def residence_permits() -> ResidencePermitRegistry:
    return _adapter(
        simulator.RESIDENCE_PERMITS, simulator.SimulatedResidencePermitRegistry, "HttpResidencePermitRegistry"
    )
