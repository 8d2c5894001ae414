"""R23: pre-admission stops at the school's plan, also when two reviewers click at the same moment."""

import threading

import pytest
from django.db import connection

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application, SchoolPlan
from apps.lowcode.workflow import engine, errors
from tests import factories

pytestmark = pytest.mark.django_db


def _waiting(city, n):
    return [
        factories.application(
            city.campaign, factories.child(f"候{i}"), city.east, city.east_school, mobile=f"1380000{i:04d}"
        )
        for i in range(n)
    ]


def test_pre_admission_beyond_plan_refused_with_message(city):
    SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=1)
    first, second = city.east_app, _waiting(city, 1)[0]
    engine.apply_action(city.east_school_reviewer, first, "Pre-admit")
    with pytest.raises(errors.Refused) as info:
        engine.apply_action(city.east_school_reviewer, second, "Pre-admit")
    assert city.east_school.name in str(info.value)
    assert Application.objects.get(pk=second.pk).state == S.READY_TO_PRINT
    assert engine.history(second).count() == 0  # the refused transition left no record


def test_refusal_in_desk_is_a_message(client, city):
    SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=0)
    client.force_login(city.east_school_reviewer)
    url = f"/desk/bj_enrollment/application/{city.east_app.pk}/workflow/"
    response = client.post(url, {"action": "Pre-admit", "state": S.READY_TO_PRINT}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT


def test_plan_list_shows_seats_taken_for_the_reviewers_school(client, city):
    plan = SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=5)
    SchoolPlan.objects.create(campaign=city.campaign, school=city.west_school, seats=5)
    engine.apply_action(city.east_school_reviewer, city.east_app, "Pre-admit")
    client.force_login(city.east_school_reviewer)
    response = client.get("/desk/bj_enrollment/schoolplan/")
    rows = list(response.context["cl"].result_list)
    assert rows == [plan] and rows[0].taken_count == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_racing_for_the_last_seat_one_wins(city):
    SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=1)
    other = factories.staff("east-school-2", roles.SCHOOL_REVIEWER, school_=city.east_school)
    apps = [city.east_app, _waiting(city, 1)[0]]
    barrier, results = threading.Barrier(2), []

    def act(user, app):
        try:
            document = Application.objects.get(pk=app.pk)
            barrier.wait(timeout=10)
            engine.apply_action(user, document, "Pre-admit")
            results.append("ok")
        except Exception as exc:  # noqa: BLE001  (any failure shows in the assertion)
            results.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=pair) for pair in zip((city.east_school_reviewer, other), apps, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(map(type, results), key=str) == sorted([str, errors.Refused], key=str), results
    assert Application.objects.filter(state=S.PRE_ADMITTED).count() == 1
