"""A junior-high campaign (小升初) on top of the two-district city: a primary school in each district
with graduates, a junior high in each, and the staff of each scope."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from apps.bj_enrollment import roles
from apps.bj_enrollment.models import Campaign, School, Student
from tests import factories


@dataclass
class Junior:
    campaign: Campaign
    east_primary: School  # the city's east_school (史家胡同小学)
    west_primary: School
    east_junior: School
    west_junior: School
    east_student: Student
    west_student: Student
    east_reviewer: User
    east_school_reviewer: User  # the graduating school's teacher
    east_junior_reviewer: User  # the admitting junior high
    west_reviewer: User
    city_admin: User


@pytest.fixture
def junior(city):
    campaign = factories.junior_campaign()
    east_junior = factories.junior_school(city.east, "东城初中")
    west_junior = factories.junior_school(city.west, "西城初中")
    return Junior(
        campaign=campaign,
        east_primary=city.east_school,
        west_primary=city.west_school,
        east_junior=east_junior,
        west_junior=west_junior,
        east_student=factories.student(campaign, city.east_school, "李东华", education_id="G110101000000000001"),
        west_student=factories.student(campaign, city.west_school, "赵西华", education_id="G110102000000000001"),
        east_reviewer=city.east_reviewer,
        east_school_reviewer=city.east_school_reviewer,
        east_junior_reviewer=factories.staff("east-junior", roles.SCHOOL_REVIEWER, school_=east_junior),
        west_reviewer=factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west),
        city_admin=city.city_admin,
    )
