"""Twins in 小升初 (多胞胎同校, docs/lottery.md §14): the district binds two graduates by education ID in
the desk, the city-wide day's input holds them as one group (bj-lottery-2) and they share one number
and one junior high; binding refuses students who are not twins of one family, or out of scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup, MultipleBirthMember
from apps.bj_enrollment.models import LotteryEntry, LotteryRun, SchoolPlan, StudentGuardian
from tests import factories
from tests.bj_enrollment.junior.test_city_lottery_day import create, drawn

pytestmark = pytest.mark.django_db
BIND = reverse("admin:bj_enrollment_multiplebirthgroup_add")
BORN = dt.date(2014, 6, 1)


@pytest.fixture
def twins(junior, city):
    """East: one junior high with one seat, one with two; the twins and two others, all confirmed."""
    east_two = factories.junior_school(city.east, "东城二中")
    SchoolPlan.objects.create(campaign=junior.campaign, school=junior.east_junior, seats=1)
    SchoolPlan.objects.create(campaign=junior.campaign, school=east_two, seats=2)
    pair = [factories.student(junior.campaign, city.east_school, name, birth_date=BORN, education_id=eid)
            for name, eid in (("王一", "T00000000000000001"), ("王二", "T00000000000000002"))]
    for twin in pair:
        StudentGuardian.objects.filter(student=twin).update(id_number="110101198001010011")
    others = [factories.student(junior.campaign, city.east_school, f"东{n}") for n in range(2)]
    for student in (*pair, *others):
        factories.put_in_state(student, StudentState.CONFIRMED)
    junior.pair = pair
    return junior


def test_bound_junior_twins_are_drawn_as_one_and_placed_together(client, twins, run_jobs):
    a, b = twins.pair
    client.force_login(twins.east_reviewer)
    response = client.post(BIND, {"form_numbers": f"{a.education_id}，{b.education_id}"})
    assert response.status_code == 302, response.content.decode()[:1500]
    group = MultipleBirthGroup.objects.get()
    assert set(group.members.values_list("student", flat=True)) == {a.pk, b.pk}
    assert str(group) == f"{a.education_id}、{b.education_id}"
    assert group.history.get().history_user == twins.east_reviewer

    client.force_login(twins.city_admin)
    assert create(client, twins.campaign).status_code == 302
    run = drawn(client, LotteryRun.objects.get(district__isnull=True), run_jobs)
    assert run.algorithm == "bj-lottery-2"
    assert len(run.input_document["groups"]) == 1 and len(run.input_document["groups"][0]) == 2
    first, second = (LotteryEntry.objects.get(run=run, student=twin) for twin in (a, b))
    assert (first.lottery_number, first.position, first.school_id) == (
        second.lottery_number, second.position, second.school_id)
    # two seats together exist only at 东城二中: the twins are there, or both unplaced
    assert first.school_id in (None, SchoolPlan.objects.get(seats=2).school_id)


@pytest.mark.parametrize("problem", ["birth_date", "guardian", "out_of_scope", "unknown"])
def test_binding_students_who_are_not_twins_of_one_family_is_refused(client, twins, problem):
    a, b = twins.pair
    numbers = f"{a.education_id} {b.education_id}"
    user = twins.east_reviewer
    if problem == "birth_date":
        type(b).objects.filter(pk=b.pk).update(birth_date=BORN + dt.timedelta(days=1))
    elif problem == "guardian":
        StudentGuardian.objects.filter(student=b).update(id_number="110101198202020022")
    elif problem == "out_of_scope":
        user = twins.west_reviewer
    else:
        numbers = f"{a.education_id} T00000000000000099"
    client.force_login(user)
    response = client.post(BIND, {"form_numbers": numbers})
    assert response.status_code == 200
    page = response.content.decode()
    expected = {"birth_date": "出生日期", "guardian": "监护人", "out_of_scope": "没有该编号的有效报名或小升初学生",
                "unknown": "T00000000000000099"}[problem]
    assert expected in page, page[page.find("errorlist") - 200:page.find("errorlist") + 400]
    assert not MultipleBirthGroup.objects.exists() and not MultipleBirthMember.objects.exists()
