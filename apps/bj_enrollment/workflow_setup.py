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
from django.utils.translation import gettext_noop

from apps.lowcode.workflow.loader import LoadResult, load_file
from apps.lowcode.workflow.models import Workflow

WORKFLOWS_DIR = Path(__file__).resolve().parent / "workflows"

# The shipped action names are msgids (shown through `action_label`); listed so makemessages finds them.
ACTION_NAMES = (
    gettext_noop("Submit details"),
    gettext_noop("Withdraw to edit"),
    gettext_noop("Identity verified (Beijing hukou)"),
    gettext_noop("Identity verified (non-Beijing hukou)"),
    gettext_noop("Identity check failed"),
    gettext_noop("Check identity again"),
    gettext_noop("Approve"),
    gettext_noop("Reject"),
    gettext_noop("Review again"),
    gettext_noop("Pre-admit"),
    gettext_noop("Assign by lottery"),
    gettext_noop("Confirm admission"),
    gettext_noop("Change result"),
    gettext_noop("Cancel registration"),
    gettext_noop("Void registration"),
)


def load_default_workflows() -> list[LoadResult]:
    return [
        load_file(path, source=f"bj_enrollment/workflows/{path.name}") for path in sorted(WORKFLOWS_DIR.glob("*.json"))
    ]


def load_workflows_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver; runs after roles.sync_roles_after_migrate, so the roles exist."""
    if using != "default" or Workflow._meta.db_table not in connections[using].introspection.table_names():
        return
    load_default_workflows()
