"""R23: rejections offer the reasons administrators configure, plus the reviewer's own words; the
parent reads the stored reason."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.desk import composed_reason
from apps.lowcode.workflow.models import Transition, Workflow
from apps.lowcode.workflow.spec import fingerprint, from_dict, from_workflow

pytestmark = pytest.mark.django_db


def test_presets_are_read_from_the_workflow_file_in_order():
    workflow = Workflow.objects.get(name="Primary-school application")
    reject = Transition.objects.get(workflow=workflow, from_state="ready_to_print", action="Reject")
    assert reject.reason_options.splitlines()[:2] == ["不属于本校服务片区", "现场审核材料与网上信息不一致"]
    assert fingerprint(from_workflow(workflow)) == workflow.loaded_fingerprint  # loading is not an edit


def test_a_list_in_json_becomes_lines():
    spec = from_dict({"name": "w", "document_type": "a.b", "initial_state": "x", "states": [{"name": "x"}],
                      "transitions": [{"from_state": "x", "action": "Go", "to_state": "x",
                                       "reason_options": ["甲", " ", "乙 "]}]})
    assert spec.transitions[0].reason_options == "甲\n乙"


@pytest.mark.parametrize(
    ("preset", "words", "stored"),
    [
        ("不属于本校服务片区", "", "不属于本校服务片区"),
        ("不属于本校服务片区", "户籍在朝阳区", "不属于本校服务片区：户籍在朝阳区"),
        ("", "自填原因", "自填原因"),
        ("", "  ", ""),
    ],
)
def test_composed_reason(preset, words, stored):
    assert composed_reason(preset, words) == stored


def test_the_desk_offers_presets_and_stores_the_composed_reason(client, city):
    client.force_login(city.east_school_reviewer)
    page = client.get(reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])).content.decode()
    assert 'name="reason_preset"' in page and "不属于本校服务片区" in page
    client.post(
        reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk]),
        {"action": "Reject", "reason_preset": "不属于本校服务片区", "reason": "户籍在朝阳区",
         "state": "ready_to_print"},
    )
    city.east_app.refresh_from_db()
    assert city.east_app.state == ApplicationState.SCHOOL_REJECTED
    assert engine.history(city.east_app).last().reason == "不属于本校服务片区：户籍在朝阳区"


def test_reason_still_required_without_preset_or_words(client, city):
    client.force_login(city.east_school_reviewer)
    client.post(
        reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk]),
        {"action": "Reject", "reason_preset": "", "reason": " ", "state": "ready_to_print"},
    )
    city.east_app.refresh_from_db()
    assert city.east_app.state == ApplicationState.READY_TO_PRINT
