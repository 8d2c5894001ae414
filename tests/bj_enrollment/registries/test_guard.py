"""The request deadline and the circuit breaker around the simulated registries (guard.py)."""

import time

import pytest

from apps.bj_enrollment import registries
from apps.bj_enrollment.registries.base import RegistryUnavailable

PERMIT = {"permit_number": "1", "held_since": "2020-01-01"}


def test_deadline_answers_slow_registry_as_unavailable_in_time(registry):
    registry.store(registry.RESIDENCE_PERMITS, {"A": PERMIT})
    registry.set_fault(registry.RESIDENCE_PERMITS, delay=3)
    started = time.monotonic()
    with registries.deadline(1), pytest.raises(RegistryUnavailable, match="within the deadline"):
        registries.residence_permits().permit("A")
    assert time.monotonic() - started < 1.5


def test_deadline_is_shared_by_every_call_of_the_request(registry):
    registry.store(registry.RESIDENCE_PERMITS, {"A": PERMIT})
    registry.set_fault(registry.REAL_ESTATE, delay=3)
    with registries.deadline(0.5):
        with pytest.raises(RegistryUnavailable):
            registries.real_estate().certificate("C")
        with pytest.raises(RegistryUnavailable, match="deadline has passed"):  # the budget is spent
            registries.residence_permits().permit("A")


def test_without_deadline_a_slow_answer_is_waited_for(registry):
    """Background jobs have no request deadline: a slow registry that answers is an answer."""
    registry.store(registry.RESIDENCE_PERMITS, {"A": PERMIT})
    registry.set_fault(registry.RESIDENCE_PERMITS, delay=0.3)
    assert registries.residence_permits().permit("A").permit_number == "1"


def test_breaker_open_answers_at_once_then_a_trial_closes_it(registry, settings):
    settings.REGISTRY_SETTINGS = {**settings.REGISTRY_SETTINGS, "breaker_failures": 2, "breaker_open_seconds": 0.5}
    registry.store(registry.RESIDENCE_PERMITS, {"A": PERMIT})
    registry.set_fault(registry.RESIDENCE_PERMITS, delay=1)
    for _ in range(2):
        with registries.deadline(0.2), pytest.raises(RegistryUnavailable):
            registries.residence_permits().permit("A")
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable, match="circuit open"):  # no deadline needed: nothing is asked
        registries.residence_permits().permit("A")
    assert time.monotonic() - started < 0.1
    registry.end_faults()
    time.sleep(0.6)
    assert registries.residence_permits().permit("A").permit_number == "1"  # the trial closes it
    assert registries.residence_permits().permit("A").permit_number == "1"
