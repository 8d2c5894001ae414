"""The simulator's records are shared between processes (web and worker) through the site folder."""

import multiprocessing
import time

import pytest

from apps.bj_enrollment.registries import simulator
from apps.bj_enrollment.registries.base import RecordNotFound, RegistryUnavailable
from tests.bj_enrollment.registries.test_http_adapter import PERSON


def _store_in_child(key, name):
    simulator.store(simulator.POPULATION, {key: {**PERSON, "name": name}})


def test_store_in_other_process_visible_here(registry):
    key = simulator.person_key("resident_id", "A1")
    simulator.store(simulator.POPULATION, {key: PERSON})
    assert simulator.SimulatedPopulationRegistry().person("resident_id", "A1").name == "李东东"
    child = multiprocessing.get_context("fork").Process(target=_store_in_child, args=(key, "李冬冬"))
    child.start()
    child.join(10)
    assert child.exitcode == 0
    assert simulator.SimulatedPopulationRegistry().person("resident_id", "A1").name == "李冬冬"


def test_store_merges_records(registry):
    simulator.store(simulator.RESIDENCE_PERMITS, {"A": {"permit_number": "1", "held_since": "2020-01-01"}})
    simulator.store(simulator.RESIDENCE_PERMITS, {"B": {"permit_number": "2", "held_since": "2021-01-01"}})
    permits = simulator.SimulatedResidencePermitRegistry()
    assert [permits.permit("A").permit_number, permits.permit("B").permit_number] == ["1", "2"]


def test_set_outage_only_named_registry_unavailable(registry):
    simulator.store(simulator.RESIDENCE_PERMITS, {"A": {"permit_number": "1", "held_since": "2020-01-01"}})
    simulator.set_outage(simulator.POPULATION)
    with pytest.raises(RegistryUnavailable):
        simulator.SimulatedPopulationRegistry().person("resident_id", "A1")
    assert simulator.SimulatedResidencePermitRegistry().permit("A").permit_number == "1"
    simulator.end_faults()
    with pytest.raises(RecordNotFound):
        simulator.SimulatedPopulationRegistry().person("resident_id", "A1")


def test_clear_forgets_records_and_outage(registry):
    simulator.store(simulator.RESIDENCE_PERMITS, {"A": {"permit_number": "1", "held_since": "2020-01-01"}})
    simulator.set_outage()
    simulator.clear()
    with pytest.raises(RecordNotFound):
        simulator.SimulatedResidencePermitRegistry().permit("A")


def test_store_unknown_registry_refused(registry):
    with pytest.raises(ValueError, match="unknown registry"):
        simulator.store("tax", {})


def test_set_fault_slow_then_failing_through_the_adapter(registry):
    simulator.store(simulator.RESIDENCE_PERMITS, {"A": {"permit_number": "1", "held_since": "2020-01-01"}})
    simulator.set_fault(simulator.RESIDENCE_PERMITS, delay=0.3)
    started = time.monotonic()
    assert simulator.SimulatedResidencePermitRegistry().permit("A").permit_number == "1"
    assert time.monotonic() - started >= 0.3
    simulator.set_fault(simulator.RESIDENCE_PERMITS, status=500)
    with pytest.raises(RegistryUnavailable, match="HTTP 500"):
        simulator.SimulatedResidencePermitRegistry().permit("A")
    simulator.end_faults()
    assert simulator.SimulatedResidencePermitRegistry().permit("A").permit_number == "1"


def test_set_fault_unknown_registry_refused(registry):
    with pytest.raises(ValueError, match="unknown registry"):
        simulator.set_fault("tax", status=500)
