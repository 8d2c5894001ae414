"""An account's grants (permissions, groups, roles, district or school) come from the cache between
requests (apps/bj_enrollment/access.py), and every change to them applies from the reviewer's next
request: a move to another district, a role taken away, a permission taken from a role, account
flags changed even past the ORM's signals."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.bj_enrollment import access
from apps.bj_enrollment.models import Application, StaffScope

pytestmark = pytest.mark.django_db(transaction=True)  # grants are kept only outside transactions

LIST = "admin:bj_enrollment_application_changelist"
GRANT_TABLES = ("auth_permission", "auth_user_groups", "bj_enrollment_role", "bj_enrollment_staffscope")


def _listed(client) -> set[str] | int:
    response = client.get(reverse(LIST))
    if response.status_code != 200:
        return response.status_code
    return {app.form_number for app in response.context["cl"].result_list}


def test_a_reviewer_moved_to_another_district_sees_it_at_the_next_request(client, city):
    client.force_login(city.east_reviewer)
    assert _listed(client) == {city.east_app.form_number}
    scope = StaffScope.objects.get(user=city.east_reviewer)
    scope.district = city.west
    scope.save()
    assert _listed(client) == {city.west_app.form_number}


def test_a_reviewer_whose_role_is_taken_away_is_refused_at_the_next_request(client, city):
    client.force_login(city.east_reviewer)
    assert _listed(client) == {city.east_app.form_number}
    city.east_reviewer.groups.clear()
    assert _listed(client) in (302, 403)
    change = client.get(reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk]))
    assert change.status_code in (302, 403)
    assert city.east_app.child.name not in change.content.decode()


def test_a_permission_taken_from_the_role_applies_at_the_next_request(client, city):
    client.force_login(city.east_reviewer)
    assert _listed(client) == {city.east_app.form_number}
    group = city.east_reviewer.groups.get()
    group.permissions.remove(*Permission.objects.filter(codename__in=["view_application", "change_application"]))
    assert _listed(client) in (302, 403)


def test_account_flags_changed_past_the_signals_apply_at_the_next_request(client, city):
    client.force_login(city.east_reviewer)
    assert _listed(client) == {city.east_app.form_number}
    type(city.east_reviewer).objects.filter(pk=city.east_reviewer.pk).update(is_superuser=True)  # no signal
    assert _listed(client) == {city.east_app.form_number, city.west_app.form_number}
    type(city.east_reviewer).objects.filter(pk=city.east_reviewer.pk).update(is_superuser=False, is_staff=False)
    assert _listed(client) in (302, 403)
    assert Application.objects.get(pk=city.east_app.pk).state == city.east_app.state


def test_the_next_request_reads_no_grants_from_the_database(client, city):
    client.force_login(city.east_reviewer)
    _listed(client)
    with CaptureQueriesContext(connection) as queries:
        assert _listed(client) == {city.east_app.form_number}
    asked = [q["sql"] for q in queries if any(f"`{table}`" in q["sql"] for table in GRANT_TABLES)]
    assert asked == []
    assert 0 < cache.ttl(f"access:grants:{city.east_reviewer.pk}") <= access.TTL  # a write past the signals ages out


def test_without_a_shared_cache_every_request_reads_its_grants(client, city, settings):
    settings.REDIS_URL = None  # the embedded default: each process's memory would not hear of changes
    client.force_login(city.east_reviewer)
    _listed(client)
    with CaptureQueriesContext(connection) as queries:
        assert _listed(client) == {city.east_app.form_number}
    assert any("`bj_enrollment_staffscope`" in q["sql"] for q in queries)
