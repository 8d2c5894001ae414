"""The active workflow of a DocType, read once per revision and kept in memory.

Finding the active workflow costs one small query (its id and revision), made again only when a
workflow changed somewhere (its stamp, lowcode/stamps.py); states, transitions and their roles are
loaded only when the revision changed, which any save of the workflow, a state, a transition or
their roles does (see models.py and apps.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext

from apps.lowcode import stamps
from apps.lowcode.workflow.models import STAMP, State, Transition, Workflow

_CACHE: dict[tuple[int, object], Definition] = {}
_LOCK = threading.Lock()
_MAX = 64

# Within one web request the active workflow and its revision are looked up once per DocType: a
# list page asks for 50 rows' state labels, which would otherwise cost 50 queries (issue #17).
# Outside requests (jobs, the shell) every call looks again; a change to any workflow row within
# the request forgets what was seen.
_REQUEST = threading.local()


def _request_started(**kwargs):
    _REQUEST.rows = {}


def _request_finished(**kwargs):
    _REQUEST.rows = None


def _forget_seen(sender, **kwargs):
    if getattr(_REQUEST, "rows", None) and sender._meta.app_label == Workflow._meta.app_label:
        _REQUEST.rows = {}


request_started.connect(_request_started, dispatch_uid="lowcode-workflow-definitions-started")
request_finished.connect(_request_finished, dispatch_uid="lowcode-workflow-definitions-finished")
for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_forget_seen, dispatch_uid=f"lowcode-workflow-definitions-forget-{id(_signal)}")


@dataclass(frozen=True)
class Definition:
    workflow: Workflow
    model: type
    states: dict[str, State]
    outgoing: dict[str, tuple[Transition, ...]]
    role_ids: dict[int, frozenset[int]] = field(repr=False)
    edit_role_ids: dict[str, frozenset[int]] = field(repr=False)

    @property
    def state_field(self) -> str:
        return self.workflow.state_field

    @property
    def user_field(self) -> str:
        return self.workflow.user_field

    def state_of(self, document) -> str:
        return getattr(document, self.state_field)

    def transition(self, state: str, action: str) -> Transition | None:
        return next((t for t in self.outgoing.get(state, ()) if t.action == action), None)

    def actions(self) -> list[str]:
        """Distinct action names, in the order they first appear."""
        return list(dict.fromkeys(t.action for ts in self.outgoing.values() for t in ts))

    def state_label(self, name: str) -> str:
        state = self.states.get(name)
        if state is not None and state.label:
            return gettext(state.label)
        choices = dict(self.model._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(name, name))

    def state_style(self, name: str) -> str:
        state = self.states.get(name)
        return state.style if state is not None else ""


def action_label(action: str) -> str:
    """Action names are msgids when they come from a shipped file; an administrator's own names
    (already in Chinese) pass through unchanged."""
    return gettext(action)


def _active_row(model) -> tuple | None:
    return (  # the content type from Django's per-process cache: no join in this query
        Workflow.objects.filter(document_type=ContentType.objects.get_for_model(model), is_active=True)
        .values_list("pk", "revision")
        .first()
    )


# Between requests: the active workflows' (id, revision), read again once any process changed a
# workflow (lowcode/stamps.py). A DocType without one is kept as (None,).
_KEPT = stamps.Kept(STAMP)


def _row(model, key) -> tuple | None:
    kept = _KEPT.get(key, lambda: (_active_row(model),))
    if kept is not None:
        return kept[0]
    seen = getattr(_REQUEST, "rows", None)  # without a shared cache: once per request
    if seen is not None and key in seen:
        return seen[key]
    row = _active_row(model)
    if seen is not None:
        seen[key] = row
    return row


def definition_for(model) -> Definition | None:
    opts = model._meta.concrete_model._meta
    row = _row(model, (opts.app_label, opts.model_name))
    if row is None:
        return None
    definition = _CACHE.get(row)
    if definition is None:
        definition = _load(row[0], model._meta.concrete_model)
        with _LOCK:
            if len(_CACHE) >= _MAX:
                _CACHE.clear()
            _CACHE[row] = definition
    return definition


def _load(pk: int, model) -> Definition:
    workflow = Workflow.objects.select_related("document_type").get(pk=pk)
    states = list(workflow.states.order_by("position", "pk").prefetch_related("edit_roles"))
    transitions = list(workflow.transitions.order_by("position", "pk").prefetch_related("roles"))
    outgoing: dict[str, list[Transition]] = {}
    for t in transitions:
        outgoing.setdefault(t.from_state, []).append(t)
    return Definition(
        workflow=workflow,
        model=model,
        states={s.name: s for s in states},
        outgoing={name: tuple(ts) for name, ts in outgoing.items()},
        role_ids={t.pk: frozenset(g.pk for g in t.roles.all()) for t in transitions},
        edit_role_ids={s.name: frozenset(g.pk for g in s.edit_roles.all()) for s in states},
    )
