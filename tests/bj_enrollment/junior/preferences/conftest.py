"""Preferences (志愿, R41) on the junior fixture: the east district lets a confirmed student rank up to
three of its public junior highs; a private one and the west's are not listable."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apps.bj_enrollment.choices import Ownership, StudentState
from apps.bj_enrollment.models import PreferenceSetting, School, Student
from tests import factories
from tests.bj_enrollment.junior.conftest import Junior
from tests.bj_enrollment.junior.family.conftest import _fresh_counters  # noqa: F401  (autouse: SMS codes, limits)


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
