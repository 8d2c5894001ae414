"""Private-school applications refused through the API (R43): every refusal answers with its own code
from error_codes and a Chinese message, and leaves the student's applications as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.models import PrivateApplication, Student
from tests import factories
from tests.bj_enrollment.junior.family.conftest import last_code
from tests.bj_enrollment.junior.family.test_family_api import token_for
from tests.bj_enrollment.junior.test_private_applications import (  # noqa: F401  (fixtures)
    _fresh_counters,
    move_window,
    private_school,
    schools,
    states,
    student,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/junior/private"


@pytest.fixture
def api(client, run_jobs):
    """The family's app: a token for the student, a fresh SMS code before each write, JSON bodies."""

    class Api:
        def __init__(self, who):
            self.student, self.auth = who, token_for(client, run_jobs, who)

        def code(self) -> str:
            cache.delete_pattern("portal:sms:*:sent")
            client.post(API + "/sms-code", **self.auth)
            run_jobs()
            return last_code(self.student.mobile)

        def send(self, method, path, body):
            return getattr(client, method)(API + path, body, content_type="application/json", **self.auth)

        def apply(self, school, sms_code=None):
            return self.send("post", "/applications", {"school": school, "sms_code": sms_code or self.code()})

    return Api


def refusal(response, field="__all__"):
    assert response.status_code == 400, response.content
    (error,) = response.json()["errors"][field]
    assert not error["message"].isascii(), error  # Chinese
    return error["code"]


def test_each_refusal_has_its_code_and_changes_nothing(junior, schools, student, city, api):  # noqa: F811
    east, west = schools
    family = api(student)
    assert family.apply(east.code).status_code == 201
    before = states(student)

    assert refusal(family.apply(west.code)) == error_codes.PRIVATE_TOO_MANY.code == "private_too_many"
    assert refusal(family.apply(junior.east_junior.code), "school") == "private_not_a_private_school"
    assert refusal(family.apply(east.code), "school") == "private_duplicate"
    assert refusal(family.apply(west.code, sms_code="000000"), "sms_code") in ("sms_wrong", "sms_expired")
    mine = PrivateApplication.objects.get(student=student)
    other = factories.put_in_state(
        factories.student(junior.campaign, city.west_school, "钱西民", education_id="GW00000000000000009"),
        StudentState.CONFIRMED)
    theirs = PrivateApplication.objects.create(student=other, school=west)
    moved = family.send("put", f"/applications/{theirs.pk}", {"school": east.code, "sms_code": family.code()})
    assert refusal(moved, "application") == "private_no_application"  # another child's application
    assert states(student) == before and states(other) == [(west.name, "applied")]

    move_window(junior.campaign, dt.timedelta(days=-5), dt.timedelta(days=-1))
    closed = family.send("post", f"/applications/{mine.pk}/withdrawal", {"sms_code": "123456"})
    assert refusal(closed) == "private_closed"
    assert states(student) == before


def test_not_confirmed_admitted_and_no_mobile_are_refused_with_their_codes(junior, schools, api):  # noqa: F811
    east, _west = schools
    waiting = api(factories.put_in_state(junior.east_student, StudentState.AWAITING_CONFIRMATION))
    assert refusal(waiting.send("post", "/sms-code", {})) == "private_not_confirmed"
    assert refusal(waiting.apply(east.code, sms_code="123456")) == "private_not_confirmed"

    admitted = factories.put_in_state(junior.west_student, StudentState.ADMITTED)
    Student.objects.filter(pk=admitted.pk).update(school=junior.west_junior)
    family = api(admitted)
    assert refusal(family.apply(east.code, sms_code="123456")) == "private_admitted"

    Student.objects.filter(pk=junior.east_student.pk).update(mobile="")
    factories.put_in_state(junior.east_student, StudentState.CONFIRMED)
    assert refusal(waiting.send("post", "/sms-code", {})) == "private_no_mobile"
    assert not PrivateApplication.objects.exists()
