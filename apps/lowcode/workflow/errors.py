"""Why the engine refused an action. The message is built when shown, in the language then active,
so the same refusal reads in Chinese on the desk and in English in a log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    template = _("The workflow refused this action.")

    def __init__(self, template=None, **params):
        if template is not None:
            self.template = template
        self.params = params
        super().__init__(self.template, params)

    @property
    def message(self) -> str:
        return str(self.template) % {key: str(value) for key, value in self.params.items()}

    def __str__(self) -> str:
        return self.message


class NoWorkflow(WorkflowError):
    template = _("%(type)s has no active workflow.")


class NoSuchAction(WorkflowError):
    template = _("There is no action %(action)s in state %(state)s.")


class NotAllowed(WorkflowError):
    template = _("You may not take action %(action)s on %(document)s.")


class ConditionNotMet(WorkflowError):
    template = _("Action %(action)s is not possible for %(document)s: its condition is not met.")


class ReasonRequired(WorkflowError):
    template = _("Action %(action)s needs a reason.")


class SelfApprovalRefused(WorkflowError):
    template = _("You may not take action %(action)s on your own %(type)s.")


class AlreadyChanged(WorkflowError):
    """The document moved on between the moment the user saw it and the moment they acted."""

    template = _("%(document)s was already changed by %(user)s at %(time)s; it is now %(state)s.")
    outside_template = _("%(document)s was already changed; it is now %(state)s.")


class Refused(WorkflowError):
    """A rule of the host app refused the transition (raised by one of its `steps`, inside the
    engine's transaction, so nothing of the transition is kept)."""

    template = _("%(reason)s")
