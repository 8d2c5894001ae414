"""R16 and R18 against the simulated registries, through the function the portal calls on save."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import HukouCategory, RegistryStatus
from apps.bj_enrollment.registries import checks
from apps.bj_enrollment.rules import residence_permit
from tests.bj_enrollment.registries import records

pytestmark = pytest.mark.django_db


def _store_certificate(registry, prop, **changes):
    registry.store(registry.REAL_ESTATE, {prop.certificate_number: records.certificate(prop, **changes)})


def test_check_property_exact_match_verified(city, registry):
    prop = city.east_app.properties.get()
    _store_certificate(registry, prop)
    assert checks.check_property(prop) == {}
    prop.refresh_from_db()
    assert prop.registry_status == RegistryStatus.VERIFIED


def test_check_property_owner_and_district_mismatch_failed(city, registry):
    prop = city.east_app.properties.get()
    _store_certificate(registry, prop, owners=["王大明", "李芳"], district=city.west.code)
    assert checks.check_property(prop) == {
        "owners": [gettext(checks.OWNERS_MISMATCH)],
        "district": [gettext(checks.PROPERTY_DISTRICT_MISMATCH)],
        "family_owned": [gettext(checks.NOT_FAMILY_OWNED)],  # 李芳 is neither the child nor a guardian
    }
    prop.refresh_from_db()
    assert prop.registry_status == RegistryStatus.FAILED


def test_check_property_unknown_certificate_failed(city, registry):
    prop = city.east_app.properties.get()
    assert checks.check_property(prop) == {"certificate_number": [gettext(checks.CERTIFICATE_NOT_FOUND)]}
    prop.refresh_from_db()
    assert prop.registry_status == RegistryStatus.FAILED


def test_check_property_outage_stays_pending(city, registry):
    prop = city.east_app.properties.get()
    prop.registry_status = RegistryStatus.FAILED
    prop.save()
    _store_certificate(registry, prop)
    registry.set_outage(registry.REAL_ESTATE)
    assert checks.check_property(prop) == {}
    prop.refresh_from_db()
    assert prop.registry_status == RegistryStatus.PENDING


def _nonlocal_with_permit(city, registry, months_held: int, *, number="110101202000123", entered=None):
    app = city.east_app
    app.hukou_category = HukouCategory.NONLOCAL
    app.save()
    today = timezone.localdate()
    total = today.year * 12 + today.month - 1 - months_held
    since = dt.date(total // 12, total % 12 + 1, 1)
    guardian = app.guardians.get(position=1)
    guardian.residence_permit_number = entered or number
    guardian.residence_permit_since = since
    guardian.save()
    registry.store(
        registry.RESIDENCE_PERMITS, {guardian.id_number: {"permit_number": number, "held_since": str(since)}}
    )
    return app


def test_check_residence_permit_long_enough_passes(city, registry):
    app = _nonlocal_with_permit(city, registry, city.campaign.residence_permit_min_months + 1)
    assert checks.check_residence_permit(app) == {}


def test_check_residence_permit_too_short_reports_months(city, registry):
    minimum = city.campaign.residence_permit_min_months
    app = _nonlocal_with_permit(city, registry, minimum - 3)
    problems = checks.check_residence_permit(app)
    held = residence_permit.months_between(app.guardians.get(position=1).residence_permit_since, timezone.localdate())
    assert held in (minimum - 3, minimum - 4)
    assert problems == {
        "residence_permit_since": [gettext(error_codes.PERMIT_TOO_SHORT.message) % {"held": held, "months": minimum}]
    }


def test_check_residence_permit_wrong_number_reported(city, registry):
    app = _nonlocal_with_permit(city, registry, 30, entered="110101209999999")
    assert checks.check_residence_permit(app) == {"residence_permit_number": [gettext(checks.PERMIT_NUMBER_MISMATCH)]}


def test_check_residence_permit_local_child_not_checked(city, registry):
    assert checks.check_residence_permit(city.east_app) == {}


def test_check_details_reports_problems_by_field(city, registry):
    app = _nonlocal_with_permit(city, registry, 2)
    prop = app.properties.get()
    _store_certificate(registry, prop, owners=["张三"])
    result = checks.check_details(app)
    assert set(result.problems) == {"owners", "family_owned", "residence_permit_since"} and not result.pending
    prop.refresh_from_db()
    assert prop.registry_status == RegistryStatus.FAILED


def test_check_details_all_matching_passes(city, registry):
    app = _nonlocal_with_permit(city, registry, 24)
    _store_certificate(registry, app.properties.get())
    assert checks.check_details(app) == checks.DetailsCheck({}, pending=False)
    assert app.properties.get().registry_status == RegistryStatus.VERIFIED


def test_check_details_permit_registry_down_is_pending_not_passed(city, registry):
    app = _nonlocal_with_permit(city, registry, 2)
    _store_certificate(registry, app.properties.get())
    registry.set_outage(registry.RESIDENCE_PERMITS)
    assert checks.check_details(app) == checks.DetailsCheck({}, pending=True)
    with pytest.raises(checks.RegistryUnavailable):
        checks.check_residence_permit(app)


def test_check_duration_one_rule_for_entered_and_registry_dates(city):
    today = dt.date(2026, 5, 10)
    residence_permit.check_duration(city.campaign, dt.date(2025, 5, 10), today)
    with pytest.raises(ValidationError) as raised:
        residence_permit.check_duration(city.campaign, dt.date(2026, 3, 10), today)
    assert raised.value.code == "permit_too_short"
    assert raised.value.messages == ["居住证已连续持有2个月，至少需要12个月。"]


def test_months_between_counts_whole_months():
    assert residence_permit.months_between(dt.date(2024, 3, 15), dt.date(2024, 4, 15)) == 1
    assert residence_permit.months_between(dt.date(2024, 3, 15), dt.date(2024, 4, 14)) == 0
    assert residence_permit.months_between(dt.date(2023, 1, 1), dt.date(2024, 1, 1)) == 12
