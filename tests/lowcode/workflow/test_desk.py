"""The workflow in the desk: buttons for allowed actions only, actions through the desk URL (scoped),
the timeline, bulk actions with a summary, and the workflow editor's validation."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow.models import Workflow
from tests.lowcode.workflow.desk_form import workflow_form

pytestmark = pytest.mark.django_db


def _change(app):
    return reverse("admin:bj_enrollment_application_change", args=[app.pk])


def _act(app):
    return reverse("admin:bj_enrollment_application_workflow_action", args=[app.pk])


def test_buttons_only_for_allowed_actions(client, city):
    client.force_login(city.east_school_reviewer)
    actions = [a["action"] for a in client.get(_change(city.east_app)).context["workflow"]["actions"]]
    assert "Pre-admit" in actions and "Reject" in actions and "Confirm admission" not in actions
    client.force_login(city.east_reviewer)
    actions = [a["action"] for a in client.get(_change(city.east_app)).context["workflow"]["actions"]]
    assert "Pre-admit" not in actions and "Void registration" in actions


def test_action_through_desk_changes_state_and_timeline(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.post(_act(city.east_app), {"action": "Pre-admit", "state": S.READY_TO_PRINT}, follow=True)
    assert Application.objects.get(pk=city.east_app.pk).state == S.PRE_ADMITTED
    timeline = response.context["workflow"]["timeline"]
    assert [(t["record"].from_state, t["record"].to_state) for t in timeline] == [(S.READY_TO_PRINT, S.PRE_ADMITTED)]
    assert city.east_school_reviewer.username in response.content.decode()


def test_refused_action_shows_message_and_changes_nothing(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.post(_act(city.east_app), {"action": "Reject", "reason": ""}, follow=True)
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_out_of_scope_document_cannot_be_acted_on_through_the_url(client, city):
    client.force_login(city.east_school_reviewer)
    response = client.post(_act(city.west_app), {"action": "Pre-admit"})
    assert response.status_code in (302, 404)
    assert Application.objects.get(pk=city.west_app.pk).state == S.READY_TO_PRINT


def test_state_field_read_only_in_the_form(client, city):
    client.force_login(city.city_admin)
    assert "state" not in client.get(_change(city.east_app)).context["adminform"].form.fields


def test_bulk_action_reports_successes_and_refusals(client, city):
    from tests import factories

    waiting = factories.application(
        city.campaign, factories.child("东二"), city.east, city.east_school, mobile="13900000009"
    )
    Application.objects.filter(pk=city.east_app.pk).update(state=S.PRE_ADMITTED)
    client.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_changelist")
    selected = [city.east_app.pk, waiting.pk, city.west_app.pk]
    page = client.post(url, {"action": "apply_workflow_action", "_selected_action": selected})
    assert page.status_code == 200 and "form" in page.context
    response = client.post(
        url,
        {
            "action": "apply_workflow_action",
            "_selected_action": selected,
            "apply": "1",
            "workflow_action": "Confirm admission",
            "reason": "",
        },
        follow=True,
    )
    levels = sorted(m.level_tag for m in response.context["messages"])
    assert levels == ["success", "warning"]
    assert Application.objects.get(pk=city.east_app.pk).state == S.CONFIRMED
    assert Application.objects.get(pk=waiting.pk).state == S.READY_TO_PRINT
    assert Application.objects.get(pk=city.west_app.pk).state == S.READY_TO_PRINT  # out of scope: untouched


def test_workflow_admin_saves_an_unchanged_workflow(client, city):
    workflow = Workflow.objects.get(document_type__model="application")
    client.force_login(city.city_admin)
    response = client.post(
        reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk]), workflow_form(workflow)
    )
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]


def test_workflow_admin_refuses_bad_condition_and_saves_nothing(client, city):
    workflow = Workflow.objects.get(document_type__model="application")
    index = next(i for i, t in enumerate(workflow.transitions.all()) if t.condition)
    client.force_login(city.city_admin)
    response = client.post(
        reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk]),
        workflow_form(workflow, **{f"transitions-{index}-condition": "shoe_size > 3"}),
    )
    assert response.status_code == 200 and "shoe_size" in response.content.decode()
    assert not workflow.transitions.filter(condition__contains="shoe_size").exists()


def test_workflow_admin_refuses_unreachable_state(client, city):
    workflow = Workflow.objects.get(document_type__model="application")
    client.force_login(city.city_admin)
    data = workflow_form(workflow)
    n = data["states-TOTAL_FORMS"]
    data.update({"states-TOTAL_FORMS": n + 1, f"states-{n}-name": "limbo", f"states-{n}-terminal": "on"})
    response = client.post(reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk]), data)
    assert response.status_code == 200 and "limbo" in response.content.decode()
    assert workflow.states.count() == n


def test_transition_records_are_read_only_in_the_desk(city):
    from apps.lowcode.workflow.models import TransitionRecord

    model_admin = admin.site._registry[TransitionRecord]
    assert not model_admin.has_add_permission(None) and not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
