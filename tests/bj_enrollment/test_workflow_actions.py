"""The actions the code takes by name must exist in the stored workflow, which administrators edit in
the desk: `check --database` (and every migrate) reports a missing one by name."""

import json

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.workflow_setup import WORKFLOWS_DIR
from apps.lowcode.workflow import spec
from apps.lowcode.workflow.models import Transition, Workflow

pytestmark = pytest.mark.django_db


def reported(check_id: str) -> list[checks.CheckMessage]:
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    return [e for e in found if e.id == check_id]


def action_errors() -> list[checks.CheckMessage]:
    return reported("lowcode_workflow.E003")


def application_workflow() -> Workflow:
    return Workflow.objects.get(document_type__model="application", is_active=True)


def test_the_shipped_workflows_have_every_action_the_code_takes():
    assert action_errors() == []
    shipped = json.loads((WORKFLOWS_DIR / "application.json").read_text(encoding="utf-8"))
    assert set(actions.CALLED_BY_CODE) <= {t["action"] for t in shipped["transitions"]}
    stored = set(application_workflow().transitions.values_list("action", flat=True))
    assert set(actions.CALLED_BY_CODE) <= stored


def test_a_transition_renamed_in_the_desk_is_reported_by_name():
    Transition.objects.filter(workflow=application_workflow(), action=actions.SUBMIT).update(action="提交资料")
    (error,) = action_errors()
    assert error.level == checks.ERROR
    assert "'Submit details'" in error.msg and "bj_enrollment.application" in error.msg
    with pytest.raises(SystemCheckError, match="Submit details"):
        call_command("check", "--database", "default")


def test_a_deleted_transition_is_reported_and_the_others_are_not():
    workflow = application_workflow()
    deleted, _ = Transition.objects.filter(workflow=workflow, action=actions.ASSIGN_BY_LOTTERY).delete()
    assert deleted == 1
    assert [e.msg for e in action_errors()] == [
        f"The code takes the action 'Assign by lottery' on bj_enrollment.application, but the active workflow "
        f"{workflow.name!r} has no such transition."
    ]


def test_an_unedited_shipped_workflow_is_left_to_its_file_at_an_upgrade():
    """`migrate` checks before it loads the release's file: the stored copy of the previous file may
    lack a new action until then, and is not reported; the file itself is checked by the test above."""
    workflow = application_workflow()
    Transition.objects.filter(workflow=workflow, action=actions.ASSIGN_BY_LOTTERY).delete()
    Workflow.objects.filter(pk=workflow.pk).update(loaded_fingerprint=spec.fingerprint(spec.from_workflow(workflow)))
    assert action_errors() == []


def test_no_active_workflow_reports_every_action():
    Workflow.objects.filter(document_type__model="application").update(is_active=False)
    assert len(action_errors()) == len(actions.CALLED_BY_CODE)


def test_a_message_template_waiting_for_a_renamed_action_is_a_warning():
    """The five-certificate approval SMS waits for "Approve": renaming it would silence the SMS."""
    assert reported("lowcode_workflow.W001") == []
    Transition.objects.filter(workflow=application_workflow(), action=actions.APPROVE).update(action="通过")
    (warning,) = reported("lowcode_workflow.W001")
    assert warning.level == checks.WARNING
    assert "'application_five_certificate_approved'" in warning.msg and "'Approve'" in warning.msg
