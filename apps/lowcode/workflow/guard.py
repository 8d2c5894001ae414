"""The workflow engine is the only door to a document's state.

Every save of a document whose DocType has an active workflow is checked here, whoever makes it (a
desk change form, simple-history's revert, an import, a future caller): when the save would change
the state field and the engine did not make it, the save is refused. A receiver is the right tool
for a guard because it needs no caller to remember it; the domain's own steps never live here.
"""

from __future__ import annotations

import contextlib
import contextvars
import time

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

_ENGINE_SAVING: contextvars.ContextVar[bool] = contextvars.ContextVar("workflow_engine_saving", default=False)
_MODELS_TTL = 30.0  # seconds: a workflow created for a new DocType is guarded within this time everywhere
_models: tuple[float, dict[tuple[str, str], str]] = (0.0, {})


class StateChangeOutsideWorkflow(PermissionDenied):
    """Raised when something other than the workflow engine tries to move a document's state."""

    def __init__(self, document):
        self.document = document
        super().__init__(_("The state of %(document)s changes only through its workflow's actions.") % {
            "document": document})


@contextlib.contextmanager
def engine_saving():
    """Marks the saves the engine makes itself, for the duration of one transition."""
    token = _ENGINE_SAVING.set(True)
    try:
        yield
    finally:
        _ENGINE_SAVING.reset(token)


def guarded_models() -> dict[tuple[str, str], str]:
    """(app_label, model) -> state field, for every DocType with an active workflow (cached briefly)."""
    global _models
    stamp, models = _models
    if time.monotonic() - stamp > _MODELS_TTL:
        from apps.lowcode.workflow.models import Workflow

        models = {
            (app_label, model): field
            for app_label, model, field in Workflow.objects.filter(is_active=True).values_list(
                "document_type__app_label", "document_type__model", "state_field"
            )
        }
        _models = (time.monotonic(), models)
    return models


def forget_guarded_models(**kwargs) -> None:
    global _models
    _models = (0.0, {})


def refuse_state_change_outside_engine(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: one primary-key read per guarded save outside the engine, none for other models."""
    if raw or _ENGINE_SAVING.get() or instance.pk is None:  # (history versions say "adding" yet update)
        return
    opts = sender._meta.concrete_model._meta
    state_field = guarded_models().get((opts.app_label, opts.model_name))
    if state_field is None or (update_fields is not None and state_field not in update_fields):
        return
    attname = opts.get_field(state_field).attname
    stored = (
        sender._default_manager.using(instance._state.db or "default")
        .filter(pk=instance.pk)
        .values_list(attname, flat=True)
        .first()
    )
    if stored is not None and stored != getattr(instance, attname):
        raise StateChangeOutsideWorkflow(instance)
