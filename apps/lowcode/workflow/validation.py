"""What makes a workflow unusable, named so an administrator can fix it.

One function, `problems(spec)`, serves the desk form, the file loader and the system check; each
problem is a sentence naming the state, action, field or role at fault.
"""

from __future__ import annotations

from collections import deque

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.lowcode.workflow import conditions
from apps.lowcode.workflow.models import StateOutcome, Style
from apps.lowcode.workflow.spec import WorkflowSpec


def _field(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def field_problems(model, state_field: str, user_field: str) -> list[str]:
    """The header: the document type must have the state field, and the user field must name a user."""
    found = []
    label = model._meta.verbose_name
    if _field(model, state_field) is None:
        found.append(_("%(model)s has no field %(field)s to hold the state.") % {"model": label, "field": state_field})
    if user_field:
        field = _field(model, user_field)
        if field is None:
            found.append(_("%(model)s has no field %(field)s for the document user.") % {
                "model": label, "field": user_field})
        elif not field.is_relation or field.related_model._meta.label != settings.AUTH_USER_MODEL:
            found.append(_("The document user field %(field)s must link to a user account.") % {"field": user_field})
    return found


def header_problems(workflow) -> list[str]:
    model = workflow.document_model
    return field_problems(model, workflow.state_field, workflow.user_field) if model else []


def problems(spec: WorkflowSpec, *, known_roles: set[str] | None = None) -> list[str]:
    """Everything wrong with the workflow; empty when it may be saved. `known_roles` (group names)
    is given by the loader, whose roles are names; the desk picks roles from existing groups."""
    model = spec.model()
    if model is None:
        return [_("Unknown document type %(type)s.") % {"type": spec.document_type}]
    found = field_problems(model, spec.state_field, spec.user_field)
    state_field = _field(model, spec.state_field)
    names = [s.name for s in spec.states]
    by_name = {s.name: s for s in spec.states}

    if not spec.states:
        found.append(_("The workflow has no states."))
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(_("State %(state)s is listed twice.") % {"state": name})
    if state_field is not None and state_field.choices:
        allowed = [str(value) for value, _label in state_field.flatchoices]
        for name in names:
            if name not in allowed:
                found.append(
                    _("State %(state)s is not one of the values of field %(field)s (%(values)s).")
                    % {"state": name, "field": spec.state_field, "values": ", ".join(allowed)}
                )
    for state in spec.states:
        if state.style not in Style.values:
            found.append(_("State %(state)s has an unknown colour %(style)s.") % {
                "state": state.name, "style": state.style})
        if state.outcome not in StateOutcome.values:
            found.append(_("State %(state)s has an unknown outcome %(outcome)s.") % {
                "state": state.name, "outcome": state.outcome})
        if state.portal_step and not (state.portal_step in by_name and by_name[state.portal_step].step_title):
            found.append(_("The portal step %(step)s of state %(state)s is not a state with a step title.") % {
                "state": state.name, "step": state.portal_step})

    if spec.initial_state not in by_name:
        found.append(_("The initial state %(state)s is not one of the workflow's states.") % {
            "state": spec.initial_state})
    elif state_field is not None and state_field.has_default() and not callable(state_field.default):
        default = str(state_field.default)
        if default != spec.initial_state:
            found.append(
                _("The initial state %(state)s differs from the default of field %(field)s (%(default)s): "
                  "new documents would start outside the workflow.")
                % {"state": spec.initial_state, "field": spec.state_field, "default": default}
            )

    seen = set()
    for t in spec.transitions:
        what = {"action": t.action, "from": t.from_state, "to": t.to_state}
        if not t.action.strip():
            found.append(_("A transition from %(from)s has no action name.") % what)
        if t.from_state not in by_name:
            found.append(_("Action %(action)s starts from unknown state %(from)s.") % what)
        elif by_name[t.from_state].terminal:
            found.append(_("Action %(action)s leaves terminal state %(from)s.") % what)
        if t.to_state not in by_name:
            found.append(_("Action %(action)s from %(from)s goes to unknown state %(to)s.") % what)
        if (t.from_state, t.action) in seen:
            found.append(_("Action %(action)s is defined twice from state %(from)s.") % what)
        seen.add((t.from_state, t.action))
        if not (t.roles or t.allow_document_user or t.allow_system):
            found.append(_("Nobody may take action %(action)s from %(from)s: give it a role, the document "
                           "user or background jobs.") % what)
        if t.allow_document_user and not spec.user_field:
            found.append(_("Action %(action)s from %(from)s is for the document user, but the workflow has no "
                           "document user field.") % what)
        if t.condition.strip():
            problem = conditions.problem(t.condition, model)
            if problem:
                found.append(_("The condition of action %(action)s from %(from)s is wrong: %(problem)s.")
                             % {**what, "problem": problem})
        if known_roles is not None:
            for role in t.roles:
                if role not in known_roles:
                    found.append(_("Action %(action)s from %(from)s names role %(role)s, which does not exist.")
                                 % {**what, "role": role})
    if known_roles is not None:
        for state in spec.states:
            for role in state.edit_roles:
                if role not in known_roles:
                    found.append(_("State %(state)s names role %(role)s, which does not exist.") % {
                        "state": state.name, "role": role})

    leaving = {t.from_state for t in spec.transitions}
    for state in spec.states:
        if not state.terminal and state.name not in leaving:
            found.append(_("State %(state)s has no way out: add a transition or mark it terminal.") % {
                "state": state.name})
    if spec.initial_state in by_name:
        for name in unreachable(spec):
            found.append(_("State %(state)s cannot be reached from the initial state %(initial)s.") % {
                "state": name, "initial": spec.initial_state})
    return found


def unreachable(spec: WorkflowSpec) -> list[str]:
    moves: dict[str, set[str]] = {}
    for t in spec.transitions:
        moves.setdefault(t.from_state, set()).add(t.to_state)
    reached, queue = {spec.initial_state}, deque([spec.initial_state])
    while queue:
        for nxt in moves.get(queue.popleft(), ()):
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    return [s.name for s in spec.states if s.name not in reached]


def retirement_problems(workflow, kept: set[str]) -> list[str]:
    """A state that documents are in may not be retired (deleted, or its stored value changed):
    they would hold a state their workflow no longer knows. One count query per retired state."""
    model = workflow.document_model
    if model is None:
        return []
    found = []
    for name in workflow.states.exclude(name__in=kept).values_list("name", flat=True):
        count = model._default_manager.filter(**{workflow.state_field: name}).count()
        if count:
            found.append(
                ngettext(
                    "%(count)d %(type)s is in state %(state)s: move it out before retiring the state.",
                    "%(count)d %(type)s are in state %(state)s: move them out before retiring the state.",
                    count,
                )
                % {"count": count, "type": model._meta.verbose_name, "state": name}
            )
    return found
