"""Workflow and custom-field definitions are kept by each process between requests under a stamp in
the shared cache (apps/lowcode/stamps.py): the reviewer's list asks the database for neither, and an
administrator's change, made here or in another process, applies from the next request on.
Transactional tests: nothing read inside a transaction is kept."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.bj_enrollment.models import Application
from apps.lowcode import stamps
from apps.lowcode.customfields.models import CustomField
from apps.lowcode.workflow.models import Transition, Workflow
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "admin:bj_enrollment_application_changelist"
DEFINITION_TABLES = ("`lowcode_workflow_workflow`", "`lowcode_customfields_customfield`")


def _page(client):
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    return response


def _bulk_actions(response) -> bool:
    return "apply_workflow_action" in response.content.decode()


def test_the_next_list_reads_no_definitions(client, city):
    client.force_login(city.east_reviewer)
    _page(client)
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    assert [q["sql"] for q in queries if any(table in q["sql"] for table in DEFINITION_TABLES)] == []


def test_a_custom_field_added_in_the_desk_shows_on_the_next_list(client, city):
    client.force_login(city.city_admin)
    assert 'name="cf_mode"' not in _page(client).content.decode()
    define("mode", "select", options="走读\n住宿", show_in_list_filter=True)
    assert 'name="cf_mode"' in _page(client).content.decode()


def test_a_change_by_another_process_shows_once_it_renews_the_stamp(client, city):
    field = define("mode", "select", options="走读\n住宿", show_in_list_filter=True)
    client.force_login(city.city_admin)
    assert 'name="cf_mode"' in _page(client).content.decode()
    CustomField.objects.filter(pk=field.pk).update(active=False)  # no signal here: as if elsewhere
    assert 'name="cf_mode"' in _page(client).content.decode()  # kept: this process heard nothing
    stamps.renew("custom-fields")  # what the other process's save does
    assert 'name="cf_mode"' not in _page(client).content.decode()


def test_a_write_past_the_signals_is_seen_after_max_age(client, city, monkeypatch):
    field = define("mode", "select", options="走读\n住宿", show_in_list_filter=True)
    client.force_login(city.city_admin)
    assert 'name="cf_mode"' in _page(client).content.decode()
    CustomField.objects.filter(pk=field.pk).update(active=False)
    monkeypatch.setattr(stamps, "MAX_AGE", -1)
    assert 'name="cf_mode"' not in _page(client).content.decode()


def test_a_role_taken_off_a_transition_applies_at_the_next_list(client, city):
    client.force_login(city.east_reviewer)
    assert _bulk_actions(_page(client))
    group = Group.objects.get(pk__in=city.east_reviewer.groups.values("pk"))
    workflow = Workflow.objects.get(document_type__model="application", is_active=True)
    for step in Transition.objects.filter(workflow=workflow, roles=group):
        step.roles.remove(group)
    assert not _bulk_actions(_page(client))
    assert Application.objects.get(pk=city.east_app.pk).state == city.east_app.state


def test_nothing_read_inside_a_transaction_is_kept(city):
    kept = stamps.Kept("test-inside")
    reads = []
    with transaction.atomic():
        assert kept.get("k", lambda: reads.append(1) or len(reads)) is None  # the caller reads itself
    assert kept.get("k", lambda: reads.append(1) or len(reads)) == 1
    assert kept.get("k", lambda: reads.append(1) or len(reads)) == 1
    assert reads == [1]
