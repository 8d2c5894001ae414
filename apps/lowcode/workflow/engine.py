"""The one way a document changes state, for the desk, the portal and background jobs alike.

Who may take a transition:
- staff: holds one of the transition's roles AND `user.has_perm("<app>.change_<model>", document)`,
  the object permission, which the host app's backend limits to the user's scope;
- the document's own user (the user named in the workflow's user field): transitions marked
  `allow_document_user`;
- background jobs (`system=True`): transitions marked `allow_system`.

Self-approval (Frappe's rule that nobody approves their own document) guards the staff path only:
where a transition does not allow it, a staff member who is also the document's own user (a
reviewer whose child applies) may not take it through a role. The document user's own transitions
(submit, withdraw, cancel) are acts on their own document, not approvals, and are never refused
for that reason.

Applying locks the document row, re-checks permission and condition on the locked row, moves the
state, saves, appends a TransitionRecord, runs the owning app's steps in their stated order
(`steps.register`) and then queues the transition's messages, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from apps.lowcode.messaging.sending import send_transition
from apps.lowcode.workflow import conditions, errors, steps
from apps.lowcode.workflow.definitions import Definition, action_label, definition_for
from apps.lowcode.workflow.guard import engine_saving
from apps.lowcode.workflow.models import Transition, TransitionRecord

__all__ = [
    "apply_action",
    "apply_action_to_each",
    "available_actions",
    "can_edit",
    "definition_for",
    "history",
    "state_label",
]


def available_actions(user, document, *, system: bool = False) -> list[Transition]:
    """Transitions the user (or, with system=True, a background job) may take now, in workflow order."""
    definition = definition_for(type(document))
    if definition is None:
        return []
    checker = _Checker(definition, user, document, system)
    return [t for t in definition.outgoing.get(definition.state_of(document), ()) if checker.refusal(t) is None]


def apply_action(
    user, document, action: str, reason: str = "", *, system: bool = False, expected_state: str | None = None,
    changes: dict | None = None,
) -> TransitionRecord:
    """Take `action` on `document`, acting from `expected_state` (default: the state the given
    instance holds, i.e. the state the user saw). Raises a WorkflowError subclass when refused;
    on success the given instance is refreshed from the saved row.

    `changes` are fields the decision itself sets (the school that admits): set on the locked row
    once the action is allowed, saved with the new state in one write and one history row, and
    seen by the steps and messages that follow; a refusal leaves them unwritten."""
    model = type(document)
    definition = definition_for(model)
    if definition is None:
        raise errors.NoWorkflow(type=model._meta.verbose_name)
    seen = expected_state if expected_state is not None else definition.state_of(document)
    chosen = definition.transition(seen, action)
    if chosen is None:
        raise errors.NoSuchAction(action=action_label(action), state=definition.state_label(seen))
    reason = (reason or "").strip()
    if chosen.reason_required and not reason:
        raise errors.ReasonRequired(action=action_label(chosen.action))

    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                locked = model._default_manager.select_for_update().get(pk=document.pk)
                current = definition.state_of(locked)
                if current != seen:
                    raise _already_changed(definition, locked, current)
                refusal = _Checker(definition, user, locked, system).refusal(chosen)
                if refusal is not None:
                    raise refusal
                setattr(locked, definition.state_field, chosen.to_state)
                for name, value in (changes or {}).items():
                    setattr(locked, name, value)
                with engine_saving():
                    locked.save()
                record = TransitionRecord.objects.create(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=str(locked.pk),
                    workflow=definition.workflow,
                    action=chosen.action,
                    from_state=seen,
                    to_state=chosen.to_state,
                    user=None if system else user,
                    reason=reason,
                )
                for step in steps.after_transition(model):
                    step(locked, record)
                send_transition(locked, record)  # last: a message carries what the steps wrote
            break
        except OperationalError as exc:
            # Two transitions that lock rows in different orders (a host app's receiver locking a
            # plan, say): the database undoes one; when this call owns the transaction, try again
            # from the start, where the usual checks then give the usual answer.
            if attempt == DEADLOCK_RETRIES or connection.in_atomic_block or not _is_deadlock(exc):
                raise
    for model_field in model._meta.concrete_fields:
        setattr(document, model_field.attname, getattr(locked, model_field.attname))
    return record


DEADLOCK_RETRIES = 2


def _is_deadlock(exc: OperationalError) -> bool:
    return bool(exc.args) and exc.args[0] in (1213, 1205)  # MySQL/MariaDB: deadlock, lock wait timeout


def can_edit(user, document) -> bool:
    """Whether the document's state lets this user edit its fields (the state's edit roles). Model
    permissions and scope are checked by the caller as usual; documents without a workflow, or in
    a state the workflow does not list, are not restricted by it."""
    definition = definition_for(type(document))
    if definition is None or user.is_superuser:
        return True
    state = definition.state_of(document)
    if state not in definition.states:
        return True
    return bool(definition.edit_role_ids[state] & group_ids(user))


def history(document):
    """The document's transition records, oldest first."""
    return (
        TransitionRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(document)), object_id=str(document.pk)
        )
        .select_related("user")
        .order_by("created_at", "pk")
    )


def state_label(document) -> str:
    definition = definition_for(type(document))
    if definition is None:
        return ""
    return definition.state_label(definition.state_of(document))


def user_display(user) -> str:
    if user is None:
        return gettext("a background job")
    return user.get_full_name() or user.get_username()


def group_ids(user) -> frozenset[int]:
    """The user's groups, kept on the user for the request (where a site's account backend may
    already have put them with the rest of the account's grants)."""
    cached = getattr(user, "_workflow_group_ids", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("pk", flat=True)) if user.is_authenticated else frozenset()
        user._workflow_group_ids = cached
    return cached


class _Checker:
    """Answers "may this actor take this transition on this document?" with at most one
    object-permission query per document, however many transitions are asked about."""

    def __init__(self, definition: Definition, user, document, system: bool):
        self.definition = definition
        self.user = user
        self.document = document
        self.system = system
        self._may_change = None
        opts = definition.model._meta
        self.permission = f"{opts.app_label}.change_{opts.model_name}"
        self.is_document_user = False
        if not system and user is not None and user.is_authenticated and definition.user_field:
            attname = opts.get_field(definition.user_field).attname
            self.is_document_user = getattr(document, attname) == user.pk

    def may_change(self) -> bool:
        if self._may_change is None:
            self._may_change = self.user.has_perm(self.permission, self.document)
        return self._may_change

    def refusal(self, t: Transition) -> errors.WorkflowError | None:
        what = {"action": action_label(t.action), "document": str(self.document)}
        if self.system:
            if not t.allow_system:
                return errors.NotAllowed(**what)
        elif self.user is None or not self.user.is_authenticated or not self.user.is_active:
            return errors.NotAllowed(**what)
        elif not (t.allow_document_user and self.is_document_user):
            roles = self.definition.role_ids.get(t.pk, frozenset())
            holds_role = bool(roles) and (self.user.is_superuser or bool(roles & group_ids(self.user)))
            if not holds_role or not self.may_change():
                return errors.NotAllowed(**what)
            if self.is_document_user and not t.allow_self_approval:
                return errors.SelfApprovalRefused(action=what["action"], type=self.definition.model._meta.verbose_name)
        if not conditions.holds(t.condition, self.document):
            return errors.ConditionNotMet(**what)
        return None


def _already_changed(definition: Definition, document, current: str) -> errors.AlreadyChanged:
    last = history(document).filter(to_state=current).order_by("-created_at", "-pk").first()
    params = {"document": str(document), "state": definition.state_label(current)}
    if last is None:
        return errors.AlreadyChanged(errors.AlreadyChanged.outside_template, **params)
    when = formats.date_format(timezone.localtime(last.created_at), "DATETIME_FORMAT")
    return errors.AlreadyChanged(user=user_display(last.user), time=when, **params)


@dataclass
class BulkOutcome:
    applied: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def apply_action_to_each(user, documents, action: str, reason: str = "") -> BulkOutcome:
    """Apply one action to many documents, each in its own transaction with every check: one
    refusal never undoes or blocks the others."""
    outcome = BulkOutcome()
    for document in documents:
        try:
            apply_action(user, document, action, reason)
        except errors.WorkflowError as exc:
            outcome.refused.append((document, str(exc)))
        else:
            outcome.applied.append(document)
    return outcome
