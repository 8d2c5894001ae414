"""The desk list's district, school and campaign filters offer the rows in the reviewer's scope, kept
by each process between requests (apps/bj_enrollment/desk/filter_choices.py): the next list asks the
database for none of them, and a school opened, renamed or closed shows in the filter at the next
list, for the reviewers whose scope holds it only. Transactional: nothing read inside a transaction is
kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.bj_enrollment import roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "admin:bj_enrollment_application_changelist"
CHOICE_TABLES = ("`bj_enrollment_district`", "`bj_enrollment_school`", "`bj_enrollment_campaign`")


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_list_reads_no_filter_choices(client, city):
    _page(client, city.east_reviewer)
    with CaptureQueriesContext(connection) as queries:
        _page(client, city.east_reviewer)
    read_from = [q["sql"].split(" FROM ", 1)[-1] for q in queries]
    assert [sql for sql in read_from if sql.startswith(CHOICE_TABLES)] == []


def test_a_school_opened_shows_at_the_next_list_in_its_district_only(client, city):
    assert "新开小学" not in _page(client, city.east_reviewer)
    assert "新开小学" not in _page(client, city.city_admin)
    school = factories.school(city.east, "新开小学")
    assert "新开小学" in _page(client, city.east_reviewer)
    assert "新开小学" in _page(client, city.city_admin)
    west = factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west)
    assert "新开小学" not in _page(client, west)
    school.name = "新开实验小学"
    school.save()
    assert "新开实验小学" in _page(client, city.east_reviewer)
    school.delete()
    assert "新开实验小学" not in _page(client, city.east_reviewer)


def test_each_scope_keeps_its_own_choices(client, city):
    east, everything = _page(client, city.east_reviewer), _page(client, city.city_admin)
    assert city.east_school.name in east and city.west_school.name not in east
    assert city.east_school.name in everything and city.west_school.name in everything
    assert city.west_school.name not in _page(client, city.east_reviewer)  # kept, still in scope only
