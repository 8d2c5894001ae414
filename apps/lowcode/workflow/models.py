"""Workflows as rows (Frappe's Workflow): one active workflow per DocType, its states and transitions,
and the append-only record of every transition taken.

States and transitions name states by their stored value (not foreign keys), so a whole workflow
can be edited on one desk page and loaded from a file; `validation.problems` keeps the names honest.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.lowcode import stamps


class Style(models.TextChoices):
    """Badge colours of the desk theme."""

    NEUTRAL = "", _("Neutral")
    INFO = "info", _("Blue")
    SUCCESS = "success", _("Green")
    WARNING = "warning", _("Orange")
    DANGER = "danger", _("Red")
    PRIMARY = "primary", _("Primary colour")


class StateOutcome(models.TextChoices):
    """What a state means for the family's result on the portal."""

    UNDER_WAY = "", _("Under way")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused (with the reason)")


class Workflow(models.Model):
    name = models.CharField(_("workflow name"), max_length=100, unique=True)
    document_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    state_field = models.CharField(
        _("state field"), max_length=64, default="state",
        help_text=_("The document's field that holds its state; only the workflow changes it."),
    )
    user_field = models.CharField(
        _("document user field"), max_length=64, blank=True,
        help_text=_("Optional: the document's field naming its own user (for example the parent's account). "
                    "That user may take the transitions marked for the document user, and never approves "
                    "their own document where self-approval is not allowed."),
    )
    initial_state = models.CharField(_("initial state"), max_length=64)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("One workflow per document type is active at a time.")
    )
    # File-managed workflows (see loader.py): where they came from, the file's hash, and the
    # fingerprint of what that file produced, so a deploy never overwrites an administrator's edits.
    source = models.CharField(_("source file"), max_length=200, blank=True, editable=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Changes whenever the workflow, a state or a transition changes: the engine's cache key.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The document type while active, NULL otherwise: a unique index makes "one active workflow per
    # DocType" a database guarantee (MariaDB has no partial unique indexes).
    active_document_type = models.GeneratedField(
        expression=models.Case(
            models.When(is_active=True, then=models.F("document_type_id")), default=models.Value(None)
        ),
        output_field=models.IntegerField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["active_document_type"], name="workflow_one_active_per_doctype"),
        ]

    def __str__(self):
        return self.name

    @property
    def document_model(self):
        return self.document_type.model_class() if self.document_type_id else None

    def clean(self):
        from apps.lowcode.workflow import validation

        errors = validation.header_problems(self)
        if self.is_active and self.document_type_id:
            others = Workflow.objects.filter(document_type_id=self.document_type_id, is_active=True)
            if others.exclude(pk=self.pk).exists():
                errors.append(_("Another workflow is already active for this document type; deactivate it first."))
        if errors:
            raise ValidationError(errors)

    def touch(self) -> None:
        """A new revision: engines everywhere reload the definition on their next call."""
        self.revision = uuid.uuid4()
        Workflow.objects.filter(pk=self.pk).update(revision=self.revision)
        changed()


def _touch(workflow_id) -> None:
    Workflow.objects.filter(pk=workflow_id).update(revision=uuid.uuid4())
    changed()


STAMP = "workflow"


def changed(**kwargs) -> None:
    """A workflow's rows changed (a new revision, a workflow saved or deleted): every process looks up
    the active workflows again (definitions.py keeps them between requests under this stamp)."""
    stamps.renew(STAMP)


def touch_parent(sender, instance, action=None, **kwargs) -> None:
    """Signal receiver: a state or transition (or its roles) changed, so its workflow did."""
    if action is None or action.startswith("post_"):
        workflow_id = getattr(instance, "workflow_id", None)
        if workflow_id is not None:
            _touch(workflow_id)


class State(models.Model):
    workflow = models.ForeignKey(Workflow, models.CASCADE, related_name="states", verbose_name=_("workflow"))
    name = models.CharField(_("stored value"), max_length=64)
    label = models.CharField(
        _("label"), max_length=100, blank=True,
        help_text=_("Blank: the label of the value in the state field's choices."),
    )
    style = models.CharField(_("colour"), max_length=16, choices=Style.choices, blank=True)
    edit_roles = models.ManyToManyField(
        Group, blank=True, related_name="+", verbose_name=_("roles that may edit"),
        help_text=_("Who may edit the document's fields in the desk while it is in this state; "
                    "nobody when empty. Actions are governed by the transitions."),
    )
    terminal = models.BooleanField(_("terminal"), default=False, help_text=_("No transition leaves this state."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # What the code and the parent need to know about a state, as data (read through states.py):
    # an administrator's new state behaves as its flags say, whatever its name.
    parent_label = models.CharField(
        _("what the parent sees"), max_length=100, blank=True,
        help_text=_("The status shown to the family on the portal and in the API; blank: the label."),
    )
    parent_hint = models.CharField(
        _("next step for the parent"), max_length=300, blank=True,
        help_text=_("One sentence on the portal: what the family should do now."),
    )
    step_title = models.CharField(
        _("portal step title"), max_length=100, blank=True,
        help_text=_("Filled in: this state is a step of the portal's step list, in state order, with this title."),
    )
    portal_step = models.CharField(
        _("portal step"), max_length=64, blank=True,
        help_text=_("The stored value of the step state the family sees this state at; blank: its own step "
                    "if it is one, else none (every step waiting)."),
    )
    outcome = models.CharField(
        _("outcome for the parent"), max_length=16, choices=StateOutcome.choices, blank=True,
    )
    printable = models.BooleanField(
        _("form printable"), default=False, help_text=_("The family may print the information-collection form."),
    )
    ended = models.BooleanField(
        _("ended"), default=False,
        help_text=_("The registration is over: the child's ID number may register again."),
    )
    takes_seat = models.BooleanField(
        _("takes a seat"), default=False, help_text=_("Counts toward the school's plan (capacity)."),
    )
    review = models.BooleanField(
        _("five-certificate review"), default=False,
        help_text=_("The district reviews the five certificates here; skipped on the portal for children "
                    "counted as Beijing hukou, and shown while a decision is still hidden."),
    )
    review_decision = models.BooleanField(
        _("five-certificate decision"), default=False,
        help_text=_("Reaching this state decides the review: hidden from the family until the district's "
                    "results date."),
    )

    class Meta:
        verbose_name = _("workflow state")
        verbose_name_plural = _("workflow states")
        ordering = ["workflow", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["workflow", "name"], name="workflow_state_unique_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _touch(self.workflow_id)


class Transition(models.Model):
    workflow = models.ForeignKey(
        Workflow, models.CASCADE, related_name="transitions", verbose_name=_("workflow")
    )
    from_state = models.CharField(_("from state"), max_length=64)
    action = models.CharField(_("action"), max_length=100)
    to_state = models.CharField(_("to state"), max_length=64)
    roles = models.ManyToManyField(
        Group, blank=True, related_name="+", verbose_name=_("roles"),
        help_text=_("Staff holding one of these roles may take it, on documents they may change."),
    )
    allow_document_user = models.BooleanField(
        _("document user may take it"), default=False,
        help_text=_("The user named in the document's user field (for example the parent) may take it."),
    )
    allow_system = models.BooleanField(
        _("background jobs may take it"), default=False,
        help_text=_("Automatic checks (for example the registry check) may take it."),
    )
    condition = models.TextField(
        _("condition"), blank=True,
        help_text=_('An expression over the document\'s fields, e.g. hukou_category == "local". Empty: always.'),
    )
    reason_required = models.BooleanField(_("reason required"), default=False)
    reason_options = models.TextField(
        _("preset reasons"), blank=True,
        help_text=_("One per line; reviewers pick one and may add their own words (the parent sees the reason)."),
    )
    allow_self_approval = models.BooleanField(
        _("self-approval allowed"), default=True,
        help_text=_("Off: a staff member who is the document's own user may not take it through a role."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")
        ordering = ["workflow", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "from_state", "action"], name="workflow_transition_unique"),
        ]

    def __str__(self):
        return f"{self.from_state} → {self.action} → {self.to_state}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _touch(self.workflow_id)

    def clean(self):
        from apps.lowcode.workflow import conditions

        self.reason_options = "\n".join(line.strip() for line in self.reason_options.splitlines() if line.strip())

        try:
            model = self.workflow.document_model
        except Workflow.DoesNotExist:
            return
        if model is not None and self.condition.strip():
            problem = conditions.problem(self.condition, model)
            if problem:
                raise ValidationError({"condition": problem})


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("transition records are append-only")

    def delete(self):
        raise TypeError("transition records are append-only")


class TransitionRecord(models.Model):
    """One transition taken: who, when, from where to where and why. Never changed, never deleted."""

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("document type"))
    object_id = models.CharField(_("document id"), max_length=64)
    document = GenericForeignKey("content_type", "object_id")
    workflow = models.ForeignKey(Workflow, models.PROTECT, related_name="records", verbose_name=_("workflow"))
    action = models.CharField(_("action"), max_length=100)
    from_state = models.CharField(_("from state"), max_length=64)
    to_state = models.CharField(_("to state"), max_length=64)
    # PROTECT: whoever acted stays known; accounts are deactivated, not deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("user"), help_text=_("Empty for background jobs."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition record")
        verbose_name_plural = _("transition records")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="wf_record_document")]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("transition records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("transition records are append-only")


BULK_STALLED_AFTER = dt.timedelta(minutes=2)  # no document finished for this long: the worker is presumed lost


class BulkTransition(models.Model):
    """One action over many documents, run by the worker: large batches never wait in a request.

    The documents are the ids the user's own (scoped) list resolved when they asked; each one then
    goes through the engine as that user, in its own transaction, and a refusal is noted, not fatal.
    Each document's outcome is saved in the transaction that acts on it (`done` is the checkpoint),
    so a batch whose worker is lost resumes at the next document and none is acted on twice.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")  # shown INTERRUPTED when stalled (see shown_state)
        INTERRUPTED = "interrupted", _("Interrupted, resuming")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped with an error")

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("document type"))
    action = models.CharField(_("action"), max_length=100)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    object_ids = models.JSONField(_("documents"), default=list, editable=False)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    applied = models.PositiveIntegerField(_("applied"), default=0)
    refusals = models.JSONField(_("refusals"), default=list, editable=False)  # [[id, label, message], …]
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(_("resumptions"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk workflow action")
        verbose_name_plural = _("bulk workflow actions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.action} × {self.total}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100

    @property
    def shown_state(self) -> str:
        """What the progress page says: a running batch without progress for a while lost its worker."""
        stalled = self.progressed_at is not None and timezone.now() - self.progressed_at > BULK_STALLED_AFTER
        return self.State.INTERRUPTED if self.state == self.State.RUNNING and stalled else self.state
