"""What a state means, read from its flags (models.State), never from its name.

Code asks "which states are printable?" or "does this document's state end the registration?"
here, so a state an administrator adds in the desk behaves as its flags say. Answers come from the
active workflow's definition (definitions.py), loaded once per workflow revision; each call costs
the one small query that finds the active workflow and its revision.

    states_with(Application, "printable")      # ("ready_to_print", "pre_admitted", …)
    flag(application, "ended")                 # False
"""

from __future__ import annotations

from apps.lowcode.workflow.definitions import definition_for
from apps.lowcode.workflow.models import State, StateOutcome


def _model(model_or_document):
    return model_or_document if isinstance(model_or_document, type) else type(model_or_document)


def states_with(model_or_document, name: str, value=True) -> tuple[str, ...]:
    """Stored values of the active workflow's states whose flag `name` equals `value`, in state order."""
    definition = definition_for(_model(model_or_document))
    if definition is None:
        return ()
    return tuple(s.name for s in definition.states.values() if getattr(s, name) == value)


def state_of(document, state: str | None = None) -> State | None:
    """The document's state row (or that of `state`, when a model is given instead of a document);
    None without a workflow or for a state the workflow does not list."""
    definition = definition_for(_model(document))
    if definition is None:
        return None
    return definition.states.get(definition.state_of(document) if state is None else state)


def flag(document, name: str, state: str | None = None):
    """The flag of the document's state (or of `state`); the field's default for an unknown state."""
    row = state_of(document, state)
    return getattr(row, name) if row is not None else State._meta.get_field(name).get_default()


def label(document, state: str | None = None) -> str:
    """The state's desk label (translated when it is a shipped msgid)."""
    definition = definition_for(type(document))
    if definition is None:
        return state or ""
    return definition.state_label(definition.state_of(document) if state is None else state)


def parent_label(document, state: str | None = None) -> str:
    """What the family reads: the state's parent label, else its label."""
    from django.utils.translation import gettext

    row = state_of(document, state)
    if row is not None and row.parent_label:
        return gettext(row.parent_label)
    return label(document, state)


def choices(model) -> list[tuple[str, str]]:
    """(stored value, label) of the active workflow's states, for list filters and reports."""
    definition = definition_for(model)
    if definition is None:
        return []
    return [(name, definition.state_label(name)) for name in definition.states]


def styles(model) -> dict[str, str]:
    definition = definition_for(model)
    return {name: s.style for name, s in definition.states.items()} if definition else {}


def steps(model) -> list[State]:
    """The portal's step list: states with a step title, in state order."""
    definition = definition_for(model)
    return [s for s in definition.states.values() if s.step_title] if definition else []


def step_of(document, state: str | None = None) -> str:
    """The step the family sees the state at: its portal step, else itself when it is a step."""
    row = state_of(document, state)
    if row is None:
        return ""
    return row.portal_step or (row.name if row.step_title else "")


ADMITTED, REFUSED = StateOutcome.ADMITTED.value, StateOutcome.REFUSED.value


def check_known(document) -> None:
    """Model validation: the document's state is one of its active workflow's states (documents of
    a type without an active workflow are not checked)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    definition = definition_for(type(document))
    if definition is None:
        return
    state = definition.state_of(document)
    if state not in definition.states:
        raise ValidationError(
            {definition.state_field: gettext("%(state)s is not a state of the workflow %(workflow)s.")
             % {"state": state, "workflow": definition.workflow.name}}
        )


def initial_state(model) -> str:
    """Where a new document starts: the active workflow's initial state, else the field's default."""
    definition = definition_for(model)
    if definition is not None:
        return definition.workflow.initial_state
    return model._meta.get_field("state").get_default()


def sources(model, action: str) -> tuple[str, ...]:
    """States from which the active workflow defines `action` (where the code's own actions start)."""
    definition = definition_for(model)
    if definition is None:
        return ()
    return tuple(name for name, ts in definition.outgoing.items() if any(t.action == action for t in ts))
