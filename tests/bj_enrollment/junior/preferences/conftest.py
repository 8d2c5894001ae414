"""Preferences (志愿, R41) on the junior fixture: the east district lets a confirmed student rank up to
three of its public junior highs; a private one and the west's are not listable."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from apps.bj_enrollment.choices import Ownership, StudentState
from apps.bj_enrollment.models import PreferenceSetting, School, Student
from tests import factories
from tests.bj_enrollment.junior.conftest import Junior
from tests.bj_enrollment.portal import sms


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """SMS codes and rate-limit counters live in Redis across tests: start clean, texts to the local outbox."""
    settings.SMS_ADAPTER = "locmem"
    cache.delete_pattern("*")
    sms.clear()
    yield
    cache.delete_pattern("*")


@dataclass
class Prefs:
    junior: Junior
    setting: PreferenceSetting
    student: Student  # east, data confirmed
    schools: list[School]  # east public junior highs: 东城初中, 东城二中, 东城三中, 东城四中
    private: School  # east, private: not listable


@pytest.fixture
def prefs(junior) -> Prefs:
    setting = PreferenceSetting.objects.create(campaign=junior.campaign, district=junior.east_junior.district,
                                               max_choices=3)
    more = [factories.junior_school(junior.east_junior.district, n) for n in ("东城二中", "东城三中", "东城四中")]
    private = factories.junior_school(junior.east_junior.district, "东城民办初中")
    private.ownership = Ownership.PRIVATE
    private.save()
    student = factories.put_in_state(junior.east_student, StudentState.CONFIRMED)
    return Prefs(junior, setting, student, [junior.east_junior, *more], private)
