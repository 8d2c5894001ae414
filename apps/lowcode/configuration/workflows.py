"""An imported workflow passes the desk's own checks (`apps.lowcode.workflow.validation`): the whole
workflow is validated as written, and a state documents are in may not be retired by an import any
more than in the desk."""

from __future__ import annotations

from django.contrib.auth.models import Group

from apps.lowcode.workflow import spec, validation


def before_write(workflow, record: dict, user=None) -> list[str]:
    """Run on the stored workflow before the file's version replaces it."""
    if workflow.pk is None or "states" not in record:
        return []
    if not (record.get("is_active", workflow.is_active) or workflow.is_active):
        return []
    return validation.retirement_problems(workflow, {row.get("name") for row in record["states"]})


def after_write(workflow, record: dict, user=None) -> list[str]:
    problems = validation.problems(
        spec.from_workflow(workflow), known_roles=set(Group.objects.values_list("name", flat=True))
    )
    workflow.touch()  # engines reload it (children deleted by the import raise no signal)
    return problems
