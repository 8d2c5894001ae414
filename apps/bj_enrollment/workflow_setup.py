"""The enrollment app's default workflows, shipped as files in `workflows/` and loaded at migrate.

`workflows/application.json` is the primary-school application's way through R14-R24 (states from
`choices.ApplicationState`, roles named as in `roles.py`). It is loaded idempotently: created when
absent, updated by a later file only while nobody changed it in the desk; an administrator's edits
always win (policy in `apps.lowcode.workflow.loader`). Action names in the file are English msgids,
shown in Chinese through the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connections

from apps.bj_enrollment import workflow_actions
from apps.lowcode.workflow.loader import LoadResult, load_file
from apps.lowcode.workflow.models import Workflow

WORKFLOWS_DIR = Path(__file__).resolve().parent / "workflows"


def register() -> None:
    """Tell the engine what follows an application's transition, in this order (it queues the
    messages after the last step, so the five-certificate approval SMS carries the material number,
    R4/R20), and which actions the code takes itself (checked against the stored workflow)."""
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.rules import capacity, material_numbers, windows, zone_schools
    from apps.lowcode.workflow import checks, steps

    steps.register(
        Application,
        windows.require_open_window,  # R1: the stage's window, before anything is written
        zone_schools.claim_walk_in,  # R23: a walk-in pre-admitted by a school becomes that school's
        capacity.check_capacity,  # R23: then the school's plan decides
        material_numbers.issue_material_number,  # R4/R20
        zone_schools.assign_zone_school,  # R23/R35: ready to print → the single zone school
    )
    checks.require_actions(Application, workflow_actions.CALLED_BY_CODE)

    from apps.bj_enrollment.models import Student
    from apps.bj_enrollment.rules import admission_routes

    steps.register(Student, admission_routes.record_admission_route)  # R41
    checks.require_actions(Student, workflow_actions.STUDENT_CALLED_BY_CODE)

    from apps.bj_enrollment.models import Transfer
    from apps.bj_enrollment.services import transfers

    # R39: each district decides on its own turn, then the decision settles the transfer (and moves the student)
    steps.register(Transfer, transfers.check_deciding_district, transfers.settle)
    checks.require_actions(Transfer, workflow_actions.TRANSFER_CALLED_BY_CODE)


def load_default_workflows() -> list[LoadResult]:
    return [
        load_file(path, source=f"bj_enrollment/workflows/{path.name}") for path in sorted(WORKFLOWS_DIR.glob("*.json"))
    ]


def load_workflows_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver; runs after roles.sync_roles_after_migrate, so the roles exist."""
    if using != "default" or Workflow._meta.db_table not in connections[using].introspection.table_names():
        return
    load_default_workflows()
