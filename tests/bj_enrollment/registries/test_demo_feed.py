"""The demo build plus the simulator feed: the demo's own applications pass their registry checks."""

import pytest

from apps.bj_enrollment.choices import ApplicationState, HukouCategory, RegistryStatus
from apps.bj_enrollment.demo.builder import build_demo_site
from apps.bj_enrollment.demo.registry_data import feed_registry_simulator
from apps.bj_enrollment.models import Application, Property
from apps.bj_enrollment.registries import checks
from tests import factories

pytestmark = pytest.mark.django_db


def test_feed_registry_simulator_makes_demo_applications_verifiable(registry):
    build_demo_site(applications=40, seed=7)
    live = Application.objects.exclude(state__in=ApplicationState.ended())
    counts = feed_registry_simulator()
    assert counts[registry.POPULATION] == live.count()
    certificates = Property.objects.filter(application__in=live).values("certificate_number")
    assert counts[registry.REAL_ESTATE] == certificates.distinct().count()  # siblings share their home

    pending = list(live.filter(state=ApplicationState.IDENTITY_CHECK))
    assert pending, "the demo covers every state"
    assert [checks.run_identity_check(app.pk) for app in pending] == ["verified"] * len(pending)
    for app in pending:
        app.refresh_from_db()
        assert app.state in (ApplicationState.READY_TO_PRINT, ApplicationState.FIVE_CERTIFICATE_REVIEW)

    for prop in Property.objects.filter(application__in=live).select_related("district"):
        assert checks.check_property(prop) == {}
        assert prop.registry_status == RegistryStatus.VERIFIED

    nonlocal_apps = live.filter(hukou_category=HukouCategory.NONLOCAL)
    assert counts[registry.RESIDENCE_PERMITS] == nonlocal_apps.count()
    for app in nonlocal_apps:
        assert "residence_permit_number" not in checks.check_residence_permit(app)


def test_feed_registry_simulator_skips_void_applications(city, registry):
    factories.put_in_state(city.west_app, ApplicationState.VOID)
    assert feed_registry_simulator(city.campaign) == {
        registry.POPULATION: 1,
        registry.REAL_ESTATE: 1,
        registry.RESIDENCE_PERMITS: 0,
    }
    assert checks.run_identity_check(city.east_app.pk) == "skipped"  # ready_to_print already
    with pytest.raises(registry.RecordNotFound):
        registry.SimulatedPopulationRegistry().person(city.west_app.child.id_type, city.west_app.child.id_number)
