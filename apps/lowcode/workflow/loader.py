"""Workflows shipped as files, loaded at every migrate without overwriting an administrator's work.

Policy: a file's workflow is created when no workflow from that file exists. Later deploys update
it only while the database copy is still exactly what the previous file produced (its fingerprint
equals the one stored at load time); once an administrator edited it in the desk, a new file
version is not applied and a warning names the workflow. Deleting the workflow in the desk and
migrating again restores the shipped one (inactive if another workflow is active by then).
A file that is not a valid workflow stops the migration with the problems listed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.lowcode.workflow import spec as specs
from apps.lowcode.workflow import validation
from apps.lowcode.workflow.models import State, Transition, Workflow

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, KEPT_EDITED = "created", "updated", "unchanged", "kept (edited in the desk)"


class WorkflowFileError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + " ".join(problems))


@dataclass(frozen=True)
class LoadResult:
    workflow: Workflow
    status: str


def load_file(path: Path, *, source: str) -> LoadResult:
    raw = Path(path).read_bytes()
    try:
        spec = specs.from_dict(json.loads(raw))
    except (ValueError, specs.SpecError) as exc:
        raise WorkflowFileError(source, [str(exc)]) from exc
    return load(spec, source=source, source_hash=hashlib.sha256(raw).hexdigest())


def load(spec: specs.WorkflowSpec, *, source: str, source_hash: str) -> LoadResult:
    problems = validation.problems(spec, known_roles=set(Group.objects.values_list("name", flat=True)))
    if Workflow.objects.filter(name=spec.name).exclude(source=source).exists():
        problems.append(f"another workflow is already called {spec.name!r}")
    if problems:
        raise WorkflowFileError(source, problems)
    with transaction.atomic():
        existing = Workflow.objects.select_for_update().filter(source=source).first()
        if existing is None:
            workflow = Workflow(source=source)
            ct = _content_type(spec)
            active_elsewhere = Workflow.objects.filter(document_type=ct, is_active=True).exists()
            status = CREATED
            is_active = spec.is_active and not active_elsewhere
        elif existing.source_hash == source_hash:
            return LoadResult(existing, UNCHANGED)
        elif specs.fingerprint(specs.from_workflow(existing)) != existing.loaded_fingerprint:
            logger.warning(
                "workflow %r was edited in the desk; %s changed but is not applied", existing.name, source
            )
            return LoadResult(existing, KEPT_EDITED)
        else:
            workflow, status, is_active = existing, UPDATED, existing.is_active
        write(spec, workflow, is_active=is_active)
        workflow.source_hash = source_hash
        workflow.loaded_fingerprint = specs.fingerprint(specs.from_workflow(workflow))
        workflow.save(update_fields=["source_hash", "loaded_fingerprint"])
    logger.info("workflow %r %s from %s", workflow.name, status, source)
    return LoadResult(workflow, status)


def write(spec: specs.WorkflowSpec, workflow: Workflow, *, is_active: bool) -> Workflow:
    """Make `workflow` exactly `spec`: header, states and transitions (positions in file order)."""
    groups = {g.name: g for g in Group.objects.all()}
    workflow.name = spec.name
    workflow.document_type = _content_type(spec)
    workflow.state_field = spec.state_field
    workflow.user_field = spec.user_field
    workflow.initial_state = spec.initial_state
    workflow.is_active = is_active
    workflow.save()
    workflow.states.all().delete()
    workflow.transitions.all().delete()
    for position, s in enumerate(spec.states):
        state = State.objects.create(
            workflow=workflow, name=s.name, label=s.label, style=s.style, terminal=s.terminal, position=position,
            **{flag: getattr(s, flag) for flag in specs.STATE_FLAGS},
        )
        state.edit_roles.set([groups[name] for name in s.edit_roles])
    for position, t in enumerate(spec.transitions):
        row = Transition.objects.create(
            workflow=workflow,
            from_state=t.from_state,
            action=t.action,
            to_state=t.to_state,
            allow_document_user=t.allow_document_user,
            allow_system=t.allow_system,
            condition=t.condition,
            reason_required=t.reason_required,
            allow_self_approval=t.allow_self_approval,
            reason_options=t.reason_options,
            position=position,
        )
        row.roles.set([groups[name] for name in t.roles])
    workflow.touch()
    return workflow


def _content_type(spec: specs.WorkflowSpec) -> ContentType:
    return ContentType.objects.get_for_model(spec.model())
