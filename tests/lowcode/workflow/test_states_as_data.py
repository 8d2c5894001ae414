"""Workflow states as data (#14 item 1): the city administrator adds a state and its transitions in
the desk, an application moves into it through the engine, the family sees it in the portal's steps,
on its status page and in the API; a state documents are in cannot be retired, and nothing changes."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow import states
from apps.lowcode.workflow.models import State, Transition, Workflow
from apps.lowcode.workflow.spec import STATE_FLAGS
from tests.lowcode.workflow.desk_form import workflow_form

pytestmark = pytest.mark.django_db

PASSWORD = "Parent2026ok"
WAITLIST, LEAVE_WAITLIST = "列入候补", "候补递补"
WAITLISTED = {
    "name": "waitlisted",
    "label": "候补",
    "style": "warning",
    "parent_label": "候补中",
    "parent_hint": "学校名额已满，孩子已列入候补名单，有空位时将依次递补。",
    "step_title": "等待候补递补",
    "printable": "on",
}


def _url(workflow):
    return reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk])


def _add(data: dict, prefix: str, workflow, row: dict) -> None:
    n = data[f"{prefix}-TOTAL_FORMS"]
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update({f"{prefix}-{n}-{k}": v for k, v in {"workflow": workflow.pk, **row}.items()})


def _add_waitlist(client, city) -> Workflow:
    """Through the desk as the city administrator: the state, a way in from ready-to-print and two
    ways out (pre-admission from the waiting list, the family's cancellation)."""
    workflow = Workflow.objects.get(is_active=True, document_type__model="application")
    school_role = city.east_school_reviewer.groups.get().pk
    ready = workflow.states.get(name=S.READY_TO_PRINT)
    data = workflow_form(workflow)
    _add(data, "states", workflow, {**WAITLISTED, "position": ready.position})
    _add(data, "transitions", workflow, {"from_state": S.READY_TO_PRINT, "action": WAITLIST,
                                         "to_state": "waitlisted", "roles": [school_role], "position": 90})
    _add(data, "transitions", workflow, {"from_state": "waitlisted", "action": LEAVE_WAITLIST,
                                         "to_state": S.PRE_ADMITTED, "roles": [school_role], "position": 91})
    _add(data, "transitions", workflow, {"from_state": "waitlisted", "action": "Cancel registration",
                                         "to_state": S.CANCELLED, "allow_document_user": "on", "position": 92})
    client.force_login(city.city_admin)
    page = client.get(_url(workflow)).content.decode()
    assert "门户步骤标题" in page and "占用学位" in page  # each state's flags are on the desk page
    response = client.post(_url(workflow), data)
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    return workflow


def _family(client, app) -> Application:
    user = User.objects.create_user(app.form_number, password=PASSWORD)
    Application.objects.filter(pk=app.pk).update(account=user)
    client.logout()
    client.post(reverse("portal:login"), {"username": app.form_number, "password": PASSWORD})
    return Application.objects.get(pk=app.pk)


def test_added_state_reaches_the_engine_the_portal_and_the_api(client, city):
    workflow = _add_waitlist(client, city)
    state = workflow.states.get(name="waitlisted")
    assert (state.label, state.parent_label, state.printable, state.takes_seat) == ("候补", "候补中", True, False)

    # the school's reviewer takes the new action through the desk (scope, roles: the engine's checks)
    client.force_login(city.east_school_reviewer)
    change = reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])
    assert WAITLIST in [a["action"] for a in client.get(change).context["workflow"]["actions"]]
    act = reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk])
    page = client.post(act, {"action": WAITLIST, "state": S.READY_TO_PRINT}, follow=True)
    app = Application.objects.get(pk=city.east_app.pk)
    assert app.state == "waitlisted"
    assert page.context["workflow"]["state_label"] == "候补"
    app.full_clean(validate_constraints=False)  # one of the workflow's states: the model accepts it

    # the desk's list filter and badge read the workflow
    listing = client.get(reverse("admin:bj_enrollment_application_changelist"), {"state__exact": "waitlisted"})
    assert [a.pk for a in listing.context["cl"].result_list] == [app.pk]
    assert "候补" in listing.content.decode()

    # the family: the new step is current, earlier steps done, later ones waiting; its status and hint
    _family(client, app)
    home = client.get(reverse("portal:home"))
    steps = [(s.key, s.title, s.status) for s in home.context["steps"]]
    keys = [key for key, _title, _status in steps]
    assert keys.index("waitlisted") == keys.index(S.READY_TO_PRINT) + 1
    assert ("waitlisted", "等待候补递补", "current") in steps
    assert all(status == "done" for _key, _title, status in steps[: keys.index("waitlisted")])
    assert home.context["state_label"] == "候补中"
    assert home.context["can_print"] is True  # the state's printable flag
    body = home.content.decode()
    assert "候补中" in body and "等待候补递补" in body and WAITLISTED["parent_hint"] in body

    token = client.post("/api/v1/tokens", {"username": app.form_number, "password": PASSWORD},
                        content_type="application/json").json()["token"]
    status = client.get("/api/v1/application", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert (status["state"], status["state_label"], status["next_step"]) == (
        "waitlisted", "候补中", WAITLISTED["parent_hint"])
    assert {"key": "waitlisted", "title": "等待候补递补", "status": "current", "reason": ""} in status["steps"]

    # and out again through the engine: the pre-admitted state takes a seat as before
    client.force_login(city.east_school_reviewer)
    client.post(act, {"action": LEAVE_WAITLIST, "state": "waitlisted"})
    assert Application.objects.get(pk=app.pk).state == S.PRE_ADMITTED


def test_retiring_a_state_an_application_is_in_is_refused_with_the_count(client, city):
    workflow = _add_waitlist(client, city)
    client.force_login(city.east_school_reviewer)
    act = reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk])
    client.post(act, {"action": WAITLIST, "state": S.READY_TO_PRINT})
    assert Application.objects.get(pk=city.east_app.pk).state == "waitlisted"

    client.force_login(city.city_admin)
    workflow.refresh_from_db()
    before = (workflow.revision, list(State.objects.filter(workflow=workflow).values_list("name", "label")),
              list(Transition.objects.filter(workflow=workflow).values_list("from_state", "action", "to_state")))
    data = workflow_form(workflow)
    index = [data[f"states-{i}-name"] for i in range(data["states-TOTAL_FORMS"])].index("waitlisted")
    data[f"states-{index}-DELETE"] = "on"
    for i in range(data["transitions-TOTAL_FORMS"]):
        if "waitlisted" in (data[f"transitions-{i}-from_state"], data[f"transitions-{i}-to_state"]):
            data[f"transitions-{i}-DELETE"] = "on"
    response = client.post(_url(workflow), data)
    assert response.status_code == 200
    assert "1 份报名申请处于此状态（waitlisted）" in response.content.decode()
    workflow.refresh_from_db()
    after = (workflow.revision, list(State.objects.filter(workflow=workflow).values_list("name", "label")),
             list(Transition.objects.filter(workflow=workflow).values_list("from_state", "action", "to_state")))
    assert after == before
    assert Application.objects.get(pk=city.east_app.pk).state == "waitlisted"

    # changing its stored value is retiring it too; changing its label is a rename, and is saved
    renamed = workflow_form(workflow)
    renamed[f"states-{index}-name"] = "wait_list"
    assert "1 份报名申请处于此状态（waitlisted）" in client.post(_url(workflow), renamed).content.decode()
    relabelled = workflow_form(workflow)
    relabelled[f"states-{index}-label"] = "候补名单"
    assert client.post(_url(workflow), relabelled).status_code == 302
    assert Application.objects.get(pk=city.east_app.pk).get_state_display() == "候补名单"

    # once nobody is in it, the same retirement is saved
    client.force_login(city.east_school_reviewer)
    client.post(act, {"action": LEAVE_WAITLIST, "state": "waitlisted"})
    client.force_login(city.city_admin)
    workflow.refresh_from_db()
    data = workflow_form(workflow)
    data[f"states-{index}-DELETE"] = "on"
    for i in range(data["transitions-TOTAL_FORMS"]):
        if "waitlisted" in (data[f"transitions-{i}-from_state"], data[f"transitions-{i}-to_state"]):
            data[f"transitions-{i}-DELETE"] = "on"
    assert client.post(_url(workflow), data).status_code == 302
    assert not workflow.states.filter(name="waitlisted").exists()


def test_a_state_outside_the_workflow_is_refused_by_the_model(city):
    app = city.east_app
    app.state = "limbo"
    with pytest.raises(ValidationError) as refused:
        app.full_clean(validate_constraints=False)
    assert "state" in refused.value.message_dict


def test_the_shipped_workflow_states_its_meaning_as_flags(city):
    assert states.states_with(Application, "printable") == (
        S.READY_TO_PRINT, S.PRE_ADMITTED, S.SCHOOL_REJECTED, S.DISTRICT_REJECTED, S.CONFIRMED)
    assert states.states_with(Application, "ended") == (S.CANCELLED, S.VOID)
    assert states.states_with(Application, "takes_seat") == (S.PRE_ADMITTED, S.CONFIRMED)
    assert states.states_with(Application, "outcome", states.ADMITTED) == (S.CONFIRMED,)
    assert [s.name for s in states.steps(Application)] == [
        S.REGISTERED, S.IDENTITY_CHECK, S.FIVE_CERTIFICATE_REVIEW, S.READY_TO_PRINT, S.PRE_ADMITTED, S.CONFIRMED]


def test_a_site_upgraded_from_names_gets_the_shipped_flags_and_stays_unedited(city):
    """Migration 0014: an existing workflow (labels blank, no flags, as before) gains the file's labels
    and flags; one nobody edited is still recognised as unedited, so later files keep applying."""
    from importlib import import_module

    from django.apps import apps as django_apps

    from apps.lowcode.workflow import spec as specs

    migration = import_module("apps.bj_enrollment.migrations.0014_application_state_from_workflow")
    workflow = Workflow.objects.get(is_active=True, document_type__model="application")
    State.objects.filter(workflow=workflow).update(
        label="", **{flag: State._meta.get_field(flag).get_default() for flag in STATE_FLAGS})
    Workflow.objects.filter(pk=workflow.pk).update(
        loaded_fingerprint=specs.fingerprint(specs.from_workflow(workflow)))
    workflow.touch()
    assert states.states_with(Application, "printable") == ()

    migration.flags_from_file(django_apps, None)

    workflow.refresh_from_db()
    assert states.states_with(Application, "ended") == (S.CANCELLED, S.VOID)
    assert workflow.states.get(name=S.CONFIRMED).label == "Admission confirmed"
    assert specs.fingerprint(specs.from_workflow(workflow)) == workflow.loaded_fingerprint
