"""The statistics page's figures (R27) come from counters the database keeps in the transaction of
every change (apps/bj_enrollment/reports/counters.py). After every kind of change they equal a
fresh count of the applications, for the city and for a district's reviewer."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, ApplicationCount
from apps.bj_enrollment.reports import counters, statistics
from apps.bj_enrollment.services import accounts
from apps.lowcode.workflow import engine
from tests import factories


def assert_counts_fresh(city):
    for user in (city.city_admin, city.east_reviewer, city.east_school_reviewer):
        assert sorted(counters.grouped(user, city.campaign), key=repr) == sorted(
            counters.fresh(user, city.campaign), key=repr
        )
    figures = statistics.compute(city.city_admin, city.campaign)
    assert figures.total == Application.objects.filter(campaign=city.campaign).count()
    assert {r.key: r.count for r in figures.by_state} == {
        state: Application.objects.filter(campaign=city.campaign, state=state).count()
        for state in Application.objects.values_list("state", flat=True).distinct()
    }


@pytest.fixture
def more(city):
    """A few more applications in both districts (registered through the model's save)."""
    apps = [
        factories.application(city.campaign, factories.child(f"孩子{i}"), district, school)
        for i, (district, school) in enumerate(
            [(city.east, city.east_school)] * 3 + [(city.west, city.west_school)] * 2
        )
    ]
    return apps


def test_the_counters_are_read_not_the_applications(city, more):
    assert counters.uses_counters()
    assert ApplicationCount.objects.filter(campaign_id=city.campaign.pk).exists()
    assert_counts_fresh(city)


def test_after_registration(city, more):
    factories.application(city.campaign, factories.child("新来的"), city.east, None, state=ApplicationState.REGISTERED)
    assert_counts_fresh(city)


def test_after_a_transition_and_a_bulk_action(city, more):
    engine.apply_action(city.east_school_reviewer, more[0], actions.PRE_ADMIT)
    assert Application.objects.get(pk=more[0].pk).state == ApplicationState.PRE_ADMITTED
    assert_counts_fresh(city)
    outcome = engine.apply_action_to_each(city.east_school_reviewer, more[1:3], actions.PRE_ADMIT)
    assert len(outcome.applied) == 2
    assert_counts_fresh(city)


def test_after_a_refused_transition_nothing_moves(city, more):
    before = sorted(counters.grouped(city.city_admin, city.campaign), key=repr)
    with pytest.raises(engine.errors.WorkflowError):
        engine.apply_action(city.east_school_reviewer, more[3], actions.PRE_ADMIT)  # another district's school
    assert sorted(counters.grouped(city.city_admin, city.campaign), key=repr) == before
    assert_counts_fresh(city)


def test_after_cancel(city, more):
    factories.put_in_state(more[0], ApplicationState.REGISTERED)
    parent = User.objects.create_user(more[0].form_number, password="Parent2026ok")
    Application.objects.filter(pk=more[0].pk).update(account=parent)
    accounts.cancel(Application.objects.get(pk=more[0].pk), parent)  # R33, the portal's and the API's path
    assert Application.objects.get(pk=more[0].pk).state == ApplicationState.CANCELLED
    assert_counts_fresh(city)


def test_after_delete(city, more):
    more[4].guardians.all().delete()
    more[4].properties.all().delete()
    more[4].delete()
    assert_counts_fresh(city)


def test_after_a_district_move_and_a_school_change(city, more):
    app = more[0]
    app.district, app.school = city.west, city.west_school
    app.save()
    Application.objects.filter(pk=more[1].pk).update(school=None)  # a raw update moves the counts too
    assert_counts_fresh(city)


def test_after_a_late_registration_time_the_day_moves(city, more):
    Application.objects.filter(pk=more[0].pk).update(registered_at=timezone.now() - dt.timedelta(days=3))
    assert_counts_fresh(city)


def test_the_page_shows_the_counted_figures(client, city, more):
    client.force_login(city.east_reviewer)
    response = client.get(reverse("desk-statistics"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total == Application.objects.filter(district=city.east).count() == 4
    assert [r.key for r in figures.by_district] == [city.east.pk]


def test_rebuild_gives_the_same_counters(city, more):
    before = sorted(counters.grouped(city.city_admin, city.campaign), key=repr)
    counters.rebuild()
    assert sorted(counters.grouped(city.city_admin, city.campaign), key=repr) == before
