"""A workflow as plain data: what a file holds, what the desk form submits and what the database
stores all become one `WorkflowSpec`, so one validator and one fingerprint serve them all."""

from __future__ import annotations

import hashlib
import json
from dataclasses import MISSING, asdict, dataclass, field, fields

from django.apps import apps


class SpecError(ValueError):
    """The data is not shaped like a workflow (a typo in a key, a list where text belongs)."""


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str = ""
    style: str = ""
    terminal: bool = False
    edit_roles: tuple[str, ...] = ()
    # flags (models.State): what the code and the family need to know about the state
    parent_label: str = ""
    parent_hint: str = ""
    step_title: str = ""
    portal_step: str = ""
    outcome: str = ""
    printable: bool = False
    ended: bool = False
    takes_seat: bool = False
    review: bool = False
    review_decision: bool = False


STATE_FLAGS = (
    "parent_label", "parent_hint", "step_title", "portal_step", "outcome", "printable", "ended", "takes_seat",
    "review", "review_decision",
)


@dataclass(frozen=True)
class TransitionSpec:
    from_state: str
    action: str
    to_state: str
    roles: tuple[str, ...] = ()
    allow_document_user: bool = False
    allow_system: bool = False
    condition: str = ""
    reason_required: bool = False
    allow_self_approval: bool = True
    reason_options: str = ""  # preset reasons, one per line (a list in the JSON file)


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    document_type: str  # "app_label.model_name"
    initial_state: str
    state_field: str = "state"
    user_field: str = ""
    is_active: bool = True
    states: tuple[StateSpec, ...] = field(default=())
    transitions: tuple[TransitionSpec, ...] = field(default=())

    def model(self):
        try:
            return apps.get_model(self.document_type)
        except (LookupError, ValueError):
            return None


def _build(cls, data: dict, where: str):
    if not isinstance(data, dict):
        raise SpecError(f"{where}: expected an object, got {type(data).__name__}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values = {}
    for key, value in data.items():
        kind = known[key].type
        if "tuple" in str(kind):
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise SpecError(f"{where}: {key} must be a list of names")
            value = tuple(sorted(value))
        elif kind == "bool" and not isinstance(value, bool):
            raise SpecError(f"{where}: {key} must be true or false")
        elif kind == "str" and not isinstance(value, str):
            raise SpecError(f"{where}: {key} must be text")
        values[key] = value
    try:
        return cls(**values)
    except TypeError as exc:
        raise SpecError(f"{where}: {exc}") from exc


def from_dict(data: dict) -> WorkflowSpec:
    """Parse a workflow file's content. A transition's `from_state` may be a list: the same action
    from each of those states (handy for "cancel" and "void", which leave every live state)."""
    if not isinstance(data, dict):
        raise SpecError("a workflow file holds one JSON object")
    body = dict(data)
    states = body.pop("states", [])
    transitions = body.pop("transitions", [])
    header = _build(WorkflowSpec, body, "workflow")
    state_specs = tuple(_build(StateSpec, s, f"state {i + 1}") for i, s in enumerate(states))
    transition_specs = []
    for i, raw in enumerate(transitions):
        sources = raw.get("from_state") if isinstance(raw, dict) else None
        if isinstance(raw, dict) and isinstance(raw.get("reason_options"), list):
            lines = (str(line).strip() for line in raw["reason_options"])
            raw = {**raw, "reason_options": "\n".join(line for line in lines if line)}
        for source in sources if isinstance(sources, list) else [sources]:
            transition_specs.append(_build(TransitionSpec, {**raw, "from_state": source}, f"transition {i + 1}"))
    return WorkflowSpec(**{**asdict(header), "states": state_specs, "transitions": tuple(transition_specs)})


def to_dict(spec: WorkflowSpec) -> dict:
    return asdict(spec)


def fingerprint(spec: WorkflowSpec) -> str:
    """Equal for two workflows that behave identically, whatever order their rows were saved in."""
    data = to_dict(spec)
    data.pop("is_active")  # switching a workflow off is not an edit of its content
    # Keys at their default are left out, so a release that adds a setting (with a default) does not
    # make every stored workflow look edited, which would stop its file from being applied.
    for kind, key in ((StateSpec, "states"), (TransitionSpec, "transitions")):
        defaults = {f.name: f.default for f in fields(kind) if f.default is not MISSING}
        data[key] = [{k: v for k, v in row.items() if k not in defaults or v != defaults[k]} for row in data[key]]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def from_workflow(workflow) -> WorkflowSpec:
    """The stored workflow as data (states and transitions in their desk order)."""
    states = workflow.states.order_by("position", "pk").prefetch_related("edit_roles")
    transitions = workflow.transitions.order_by("position", "pk").prefetch_related("roles")
    return WorkflowSpec(
        name=workflow.name,
        document_type=f"{workflow.document_type.app_label}.{workflow.document_type.model}",
        initial_state=workflow.initial_state,
        state_field=workflow.state_field,
        user_field=workflow.user_field,
        is_active=workflow.is_active,
        states=tuple(
            StateSpec(
                name=s.name,
                label=s.label,
                style=s.style,
                terminal=s.terminal,
                edit_roles=tuple(sorted(g.name for g in s.edit_roles.all())),
                **{flag: getattr(s, flag) for flag in STATE_FLAGS},
            )
            for s in states
        ),
        transitions=tuple(
            TransitionSpec(
                from_state=t.from_state,
                action=t.action,
                to_state=t.to_state,
                roles=tuple(sorted(g.name for g in t.roles.all())),
                allow_document_user=t.allow_document_user,
                allow_system=t.allow_system,
                condition=t.condition,
                reason_required=t.reason_required,
                allow_self_approval=t.allow_self_approval,
                reason_options=t.reason_options,
            )
            for t in transitions
        ),
    )
