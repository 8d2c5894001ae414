"""R1, R2, R3, R10, R11 as plain functions: each violation gets its own code."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, Stage
from apps.bj_enrollment.models import Application, CampaignWindow
from apps.bj_enrollment.rules.eligibility import (
    check_age,
    check_district,
    check_mobile_limit,
    check_registration_window,
)
from apps.bj_enrollment.rules.passwords import ParentPasswordValidator
from tests import factories

pytestmark = pytest.mark.django_db


def _code(func, *args):
    with pytest.raises(ValidationError) as exc:
        func(*args)
    return exc.value.code


def test_age_rule_r2(city):
    c = city.campaign
    check_age(c, c.age_cutoff)  # 6 on 31 August: allowed
    check_age(c, c.cohort_start)
    assert _code(check_age, c, c.age_cutoff + dt.timedelta(days=1)) == "too_young"
    assert _code(check_age, c, c.cohort_start - dt.timedelta(days=1)) == "over_age"


def test_district_must_be_hukou_or_residence_r3(city):
    check_district(city.east, city.east, None)
    check_district(city.east, city.west, city.east)
    assert _code(check_district, city.east, city.west, city.west) == "wrong_district"
    assert _code(check_district, city.east, None, None) == "wrong_district"


def test_window_city_wide_and_district_override_r1(city):
    now = timezone.now()
    check_registration_window(city.campaign, city.east, now)
    CampaignWindow.objects.create(
        campaign=city.campaign,
        stage=Stage.REGISTRATION,
        district=city.west,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )
    city.campaign.refresh_from_db()
    assert _code(check_registration_window, city.campaign, city.west, now) == "window_closed"
    check_registration_window(city.campaign, city.east, now)  # the city's window still applies to the east
    assert _code(check_registration_window, city.campaign, city.east, now - dt.timedelta(days=30)) == "window_not_open"


def test_mobile_limit_counts_live_accounts_only_r10(city):
    mobile = "13511112222"
    for i in range(3):
        factories.application(city.campaign, factories.child(f"同号{i}"), city.east, mobile=mobile)
    assert _code(check_mobile_limit, city.campaign, mobile) == "mobile_limit"
    one = Application.objects.filter(mobile=mobile).first()
    Application.objects.filter(pk=one.pk).update(state=ApplicationState.CANCELLED)
    check_mobile_limit(city.campaign, mobile)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1", "password_length"),
        ("Abcdefgh1" * 3, "password_length"),
        ("abcdefgh1", "password_classes"),
        ("ABCDEFGH1", "password_classes"),
        ("Abcdefghi", "password_classes"),
    ],
)
def test_password_policy_r11(password, code):
    assert _code(ParentPasswordValidator().validate, password) == code


def test_good_password_passes_r11():
    ParentPasswordValidator().validate("Beijing2026x")
