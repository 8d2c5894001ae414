"""Twins bound in the desk (多胞胎同校, docs/lottery.md §14): the district binds them, the run's input
holds the group (bj-lottery-2), the members share one number and one school, and the results are
applied to both or neither; binding refuses children who are not twins of one family."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup, MultipleBirthMember
from apps.bj_enrollment.lottery import multiple_births
from apps.bj_enrollment.models import Application, Guardian, LotteryRun
from tests import factories
from tests.bj_enrollment.lottery.test_runs import (
    ROOT,
    build_draw_city,
    create,
    desk,
    download,
    drawn_run,
    step,
)

pytestmark = pytest.mark.django_db
ADD = "admin:bj_enrollment_multiplebirthgroup_add"


@pytest.fixture
def draw_city(city):
    return build_draw_city(city)


def bind(client, *apps):
    return client.post(reverse(ADD), {"form_numbers": " ".join(app.form_number for app in apps)})


def test_bound_twins_are_drawn_as_one_and_placed_together(client, draw_city, run_jobs, tmp_path):
    twin_a, twin_b = draw_city.zone_children[5], draw_city.zone_children[9]
    desk(client, draw_city.east_reviewer)
    assert bind(client, twin_a, twin_b).status_code == 302
    group = MultipleBirthGroup.objects.get()
    assert set(group.members.values_list("application", flat=True)) == {twin_a.pk, twin_b.pk}
    assert group.history.get().history_user == draw_city.east_reviewer  # who bound them is recorded

    run, _before = drawn_run(client, draw_city, run_jobs)
    assert run.algorithm == "bj-lottery-2"
    document = json.loads(download(client, run, "input.json"))
    assert len(document["groups"]) == 1 and len(document["groups"][0]) == 2
    a, b = (run.entries.get(application=app) for app in (twin_a, twin_b))
    assert (a.lottery_number, a.position, a.school_id) == (b.lottery_number, b.position, b.school_id)
    others = run.entries.exclude(pk__in=[a.pk, b.pk]).values_list("lottery_number", flat=True)
    assert a.lottery_number not in set(others)

    for name in ("input.json", "seed.txt", "output.json", "commitments.json"):
        (tmp_path / name).write_bytes(download(client, run, name))
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_lottery.py"), "--input", str(tmp_path / "input.json"),
         "--output", str(tmp_path / "output.json"), "--seed-file", str(tmp_path / "seed.txt"),
         "--commitments", str(tmp_path / "commitments.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "(bj-lottery-2)" in done.stdout, done.stdout

    step(client, run, "apply")
    run_jobs()
    twin_a.refresh_from_db()
    twin_b.refresh_from_db()
    assert twin_a.school_id == twin_b.school_id
    if a.school_id:
        assert twin_a.state == twin_b.state == ApplicationState.PRE_ADMITTED


def test_a_refusal_for_one_twin_leaves_both_unplaced(client, draw_city, run_jobs):
    twins = draw_city.zone_children[:2]  # the two with priority: both placed
    desk(client, draw_city.east_reviewer)
    assert bind(client, *twins).status_code == 302
    run, _before = drawn_run(client, draw_city, run_jobs)
    assert all(run.entries.get(application=app).school_id for app in twins)
    changed = ApplicationState.FIVE_CERTIFICATE_REVIEW  # the application moved meanwhile
    Application.objects.filter(pk=twins[1].pk).update(state=changed)
    step(client, run, "apply")
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED
    first = Application.objects.get(pk=twins[0].pk)
    assert (first.school_id, first.state) == (None, ApplicationState.READY_TO_PRINT)
    assert twins[0].form_number in run.error and twins[1].form_number in run.error


def other_birth_date(city):
    child = factories.child("不同生日", birth=city.east_app.child.birth_date - dt.timedelta(days=1))
    return factories.application(city.campaign, child, city.east, mobile="13911113333")


def other_guardian(city):
    app = factories.application(city.campaign, factories.child("别家孩子"), city.east, mobile="13911114444")
    Guardian.objects.filter(application=app).update(id_number="110101198001010030")
    return app


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (other_birth_date, "同一出生日期"),
        (other_guardian, "共同的监护人"),
        (lambda city: city.west_app, "没有有效报名"),  # another district: out of the reviewer's scope
    ],
)
def test_binding_refuses_children_who_are_not_twins_of_one_family(client, city, second, message):
    other = second(city)
    desk(client, city.east_reviewer)
    response = bind(client, city.east_app, other)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MultipleBirthGroup.objects.exists() and not MultipleBirthMember.objects.exists()


def test_a_child_is_bound_once_and_unbinding_is_recorded(client, city):
    twin = factories.application(city.campaign, factories.child("双胞胎乙"), city.east, mobile="13911115555")
    third = factories.application(city.campaign, factories.child("双胞胎丙"), city.east, mobile="13911116666")
    desk(client, city.east_reviewer)
    assert bind(client, city.east_app, twin).status_code == 302
    response = bind(client, twin, third)
    assert "已在多胞胎组中" in response.content.decode()
    assert MultipleBirthGroup.objects.count() == 1
    group = MultipleBirthGroup.objects.get()
    delete = reverse("admin:bj_enrollment_multiplebirthgroup_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not MultipleBirthGroup.objects.exists()
    assert MultipleBirthGroup.history.filter(history_type="-", history_user=city.east_reviewer).exists()


def test_another_district_neither_sees_nor_unbinds_a_group(client, city):
    twin = factories.application(city.campaign, factories.child("双胞胎乙"), city.east, mobile="13911115555")
    group = multiple_births.bind(city.east_reviewer, [city.east_app.form_number, twin.form_number])
    west = factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west)
    desk(client, west)
    assert group.district_id == city.east.pk
    listing = client.get(reverse("admin:bj_enrollment_multiplebirthgroup_changelist"))
    assert city.east_app.form_number not in listing.content.decode()
    delete = reverse("admin:bj_enrollment_multiplebirthgroup_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code in (302, 403, 404)
    assert MultipleBirthGroup.objects.filter(pk=group.pk).exists()


def test_twins_with_different_preferences_cannot_be_committed(client, draw_city):
    twin_a, twin_b = draw_city.zone_children[3], draw_city.zone_children[4]
    codes = [school.code for school in draw_city.zone_schools]
    Application.objects.filter(pk=twin_a.pk).update(custom={"preferences": codes})
    Application.objects.filter(pk=twin_b.pk).update(custom={"preferences": codes[::-1]})
    desk(client, draw_city.east_reviewer)
    assert bind(client, twin_a, twin_b).status_code == 302
    assert create(client, draw_city, mode="preference", zone="", title="偏好派位").status_code == 302
    run = LotteryRun.objects.get()
    response = step(client, run, "commit")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DRAFT and not run.input_commitment
    messages = client.get(reverse("admin:bj_enrollment_lotteryrun_change", args=[run.pk])).content.decode()
    assert twin_a.form_number in messages and twin_b.form_number in messages


@pytest.mark.parametrize(
    ("who", "list_status", "may_bind"),
    [("city_admin", 200, True), ("east_reviewer", 200, True), ("east_school_reviewer", 403, False)],
)
def test_who_may_bind_twins(client, city, who, list_status, may_bind):
    twin = factories.application(city.campaign, factories.child("双胞胎乙"), city.east, mobile="13911115555")
    desk(client, getattr(city, who))
    assert client.get(reverse("admin:bj_enrollment_multiplebirthgroup_changelist")).status_code == list_status
    response = bind(client, city.east_app, twin)
    assert (response.status_code == 302) is may_bind
    assert MultipleBirthGroup.objects.exists() is may_bind
