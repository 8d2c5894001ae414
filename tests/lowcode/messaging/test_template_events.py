"""A message template waits for an event something produces (#14 item 7): a workflow action, a state
a transition enters, or an event the application sends itself; a typo is refused at save, in the
desk and on import (tests/lowcode/configuration), instead of never firing."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.events import valid_events
from apps.lowcode.messaging.models import MessageTemplate
from apps.lowcode.workflow.models import Transition
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADD_URL = "/en/desk/lowcode_messaging/messagetemplate/add/"


@pytest.fixture
def desk(city, client):
    client.login(username="city", password=PASSWORD)
    return client


def _post(desk, event):
    return desk.post(
        ADD_URL,
        {
            "key": "typo_template",
            "document_type": ContentType.objects.get_for_model(Application).pk,
            "event": event,
            "channel": "sms",
            "active": "on",
            "text": "{{ child_name }}：{{ form_number }}",
            "_save": "1",
        },
    )


def test_valid_events_are_the_apps_own_then_the_workflows_actions_and_entered_states(city):
    events = valid_events(Application)
    assert events[:3] == ["registered", "lottery_not_assigned", "school_check_reminder"]
    assert "action:Approve" in events and "state:five_certificate_rejected" in events
    assert "state:registered" in events  # "Withdraw to edit" enters it
    assert all(e.startswith(("action:", "state:")) for e in events[3:])


@pytest.mark.parametrize("event", ["action:Aprove", "state:pre_admited", "registerd"])
def test_desk_refuses_an_event_nothing_produces_and_saves_nothing(desk, event):
    before = MessageTemplate.objects.count()
    response = _post(desk, event)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["event"]
    assert errors[0].startswith(f"No workflow action raises “{event}” and the application never sends it")
    assert "action:Approve" in errors[0] and "lottery_not_assigned" in errors[0]  # the valid ones are named
    assert MessageTemplate.objects.count() == before
    assert not MessageTemplate.objects.filter(key="typo_template").exists()


def test_desk_saves_a_template_for_a_real_action(desk):
    response = _post(desk, "action:Approve")
    assert response.status_code == 302
    assert MessageTemplate.objects.get(key="typo_template").event == "action:Approve"


def test_an_action_added_to_the_workflow_becomes_a_valid_event(desk):
    transition = Transition.objects.get(from_state="five_certificate_review", action="Approve")
    Transition.objects.filter(pk=transition.pk).update(action="Approve materials")
    assert _post(desk, "action:Approve materials").status_code == 302


def test_the_event_help_lists_the_valid_events_escaped(desk):
    Transition.objects.filter(action="Approve").update(action="Approve <b>now</b>")
    page = desk.get(ADD_URL).content.decode()
    assert "action:Approve &lt;b&gt;now&lt;/b&gt;" in page and "school_check_reminder" in page
    assert "<b>now</b>" not in page
