"""Bad workflows are refused with the problem named; the shipped workflow loads idempotently and an
administrator's edit survives the next deploy."""

import dataclasses
import json

import pytest
from django.core import checks
from django.utils import translation

from apps.bj_enrollment.workflow_setup import WORKFLOWS_DIR, load_default_workflows
from apps.lowcode.workflow import loader, spec, validation
from apps.lowcode.workflow.models import Transition, Workflow

pytestmark = pytest.mark.django_db


def _default() -> spec.WorkflowSpec:
    return spec.from_dict(json.loads((WORKFLOWS_DIR / "application.json").read_text()))


def _problems(**changes) -> str:
    with translation.override("en"):  # the assertions name the English msgids
        return " ".join(validation.problems(dataclasses.replace(_default(), **changes)))


def test_shipped_workflow_is_valid(city):
    from django.contrib.auth.models import Group

    assert validation.problems(_default(), known_roles=set(Group.objects.values_list("name", flat=True))) == []


def test_unknown_state_named():
    bad = (*_default().transitions, spec.TransitionSpec("registered", "Jump", "moon", roles=("x",)))
    assert "moon" in _problems(transitions=bad)


def test_unreachable_state_named():
    states = (*_default().states, spec.StateSpec("limbo", terminal=True))
    assert "limbo" in _problems(states=states) and "cannot be reached" in _problems(states=states)


def test_transition_out_of_terminal_state_named():
    bad = (*_default().transitions, spec.TransitionSpec("void", "Revive", "registered", roles=("x",)))
    assert "Revive" in _problems(transitions=bad) and "terminal" in _problems(transitions=bad)


def test_duplicate_action_named():
    first = _default().transitions[0]
    assert "defined twice" in _problems(transitions=(*_default().transitions, first))


@pytest.mark.parametrize(
    ("condition", "named"),
    [
        ("hukou_category ==", "does not parse"),
        ("favourite_colour == 'red'", "favourite_colour"),
        ("__import__('os')", ""),
    ],
)
def test_bad_condition_named(condition, named):
    t = dataclasses.replace(_default().transitions[0], condition=condition)
    found = _problems(transitions=(t, *_default().transitions[1:]))
    assert "condition" in found and named in found


def test_state_outside_field_choices_named():
    states = (*_default().states[:-1], dataclasses.replace(_default().states[-1], name="vanished"))
    assert "vanished" in _problems(states=states)


def test_loader_unknown_role_refused(tmp_path, city):
    data = json.loads((WORKFLOWS_DIR / "application.json").read_text())
    data["name"] = "Another"
    data["transitions"][0]["roles"] = ["不存在的角色"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(loader.WorkflowFileError) as info:
        loader.load_file(path, source="tests/bad.json")
    assert "不存在的角色" in str(info.value)


def test_default_workflow_loaded_at_migrate_and_reload_changes_nothing(city):
    workflow = Workflow.objects.get(source="bj_enrollment/workflows/application.json")
    revision = workflow.revision
    assert {r.status for r in load_default_workflows()} == {loader.UNCHANGED}  # application.json, student.json
    workflow.refresh_from_db()
    assert workflow.revision == revision and workflow.is_active


def test_admin_edit_survives_a_new_file_version(city, monkeypatch, tmp_path):
    workflow = Workflow.objects.get(source="bj_enrollment/workflows/application.json")
    t = Transition.objects.get(workflow=workflow, from_state="ready_to_print", action="Pre-admit")
    t.reason_required = True
    t.save()
    changed = json.loads((WORKFLOWS_DIR / "application.json").read_text())
    changed["transitions"][0]["reason_required"] = True  # a new release of the file
    path = tmp_path / "application.json"
    path.write_text(json.dumps(changed, ensure_ascii=False))
    result = loader.load_file(path, source="bj_enrollment/workflows/application.json")
    assert result.status == loader.KEPT_EDITED
    assert Transition.objects.get(pk=t.pk).reason_required


def test_system_check_passes_on_the_shipped_workflow(city):
    assert [
        e
        for e in checks.run_checks(include_deployment_checks=False, databases=["default"])
        if e.id and e.id.startswith("lowcode_workflow")
    ] == []
