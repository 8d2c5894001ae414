"""Message templates per DocType event and the log of every message sent.

A template names no recipients: whom a document's messages go to is decided by the owning app's
provider (`registry.py`), so a template can only ever reach the document's own stakeholders.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.lowcode.masking import mask_recipient

EVENT_PATTERN = re.compile(r"^((state|action):.+|[a-z][a-z0-9_]*)$")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")  # committed before the provider call
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")
    UNKNOWN = "unknown", _("Outcome unknown: check with the provider")
    DROPPED = "dropped", _("Not sent: the document moved on before its time")


class MessageTemplate(models.Model):
    """What to say, on which channel, when a document of one DocType reaches an event.

    Events: ``state:<to_state>`` (a workflow transition into a state), ``action:<action label>`` (a
    workflow action, whatever its target state) or a plain name the owning app sends itself through
    ``sending.send_event`` (e.g. ``registered``).
    """

    key = models.SlugField(
        _("key"), max_length=100, unique=True, help_text=_("Stable name; default templates are matched by it.")
    )
    document_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("document type"))
    event = models.CharField(
        _("event"),
        max_length=200,
        help_text=_(
            '"state:" and a state name when a document enters that state, "action:" and an action name '
            'when that workflow action is applied, or an event the application sends, such as "registered".'
        ),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.SMS)
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("E-mail only."))
    text = models.TextField(
        _("text"), help_text=_("Placeholders such as {{ form_number }} are filled from the document.")
    )
    provider_template_code = models.CharField(
        _("provider template code"),
        max_length=64,
        blank=True,
        help_text=_("The SMS provider's approved template; empty uses the site's default template."),
    )
    provider_params = models.CharField(
        _("provider template parameters"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated placeholders passed to the provider's template, in its order."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["document_type", "event", "channel"]
        indexes = [models.Index(fields=["document_type", "event", "active"], name="msgtemplate_event")]

    def __str__(self):
        return self.key

    def param_names(self) -> list[str]:
        return [name.strip() for name in self.provider_params.split(",") if name.strip()]

    def clean(self):
        from apps.lowcode.messaging import events, rendering

        errors = {}
        if self.event and not EVENT_PATTERN.match(self.event):
            errors["event"] = _(
                'Use "state:" and a state name, "action:" and an action name, or a lower-case event name.'
            )
        elif self.event and self.document_type_id:
            valid = events.valid_events(self.document_type.model_class())
            if self.event not in valid:
                errors["event"] = _(
                    "No workflow action raises “%(event)s” and the application never sends it, so the message "
                    "would never be sent. Valid events: %(events)s"
                ) % {"event": self.event, "events": ", ".join(valid) or "—"}
        if self.channel == Channel.EMAIL and not self.subject.strip():
            errors["subject"] = _("An e-mail needs a subject.")
        if self.document_type_id and self.text:
            sample = rendering.sample_context(self.document_type.model_class())
            for field in ("text", "subject"):
                problem = rendering.template_problem(getattr(self, field), sample)
                if problem:
                    errors[field] = _("The template cannot be used: %(problem)s") % {"problem": problem}
            missing = [name for name in self.param_names() if name not in sample]
            if missing:
                errors["provider_params"] = _("Unknown placeholders: %(names)s") % {"names": ", ".join(missing)}
        if errors:
            raise ValidationError(errors)


class MessageLog(models.Model):
    """One message to one recipient: queued on commit, then sent or failed by the job.

    The recipient is kept in full so a failed message can be sent again; the desk shows it masked.
    Before each provider call the message is committed as "sending" with its idempotency key; one
    found "sending" later was interrupted mid-call and is checked with the provider, not re-sent.
    """

    document_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("document type"))
    document_id = models.CharField(_("document ID"), max_length=64)
    document_label = models.CharField(_("document"), max_length=200, blank=True)
    template = models.ForeignKey(
        MessageTemplate, models.SET_NULL, null=True, blank=True, related_name="logs", verbose_name=_("template")
    )
    event = models.CharField(_("event"), max_length=200)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    provider_template_code = models.CharField(_("provider template code"), max_length=64, blank=True)
    provider_params = models.JSONField(_("provider template parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    idempotency_key = models.CharField(_("idempotency key"), max_length=32, blank=True, editable=False)
    provider_message_id = models.CharField(_("provider message ID"), max_length=128, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    not_before = models.DateTimeField(
        _("held until"), null=True, blank=True, help_text=_("The owning app's rule: not sent before this time.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message log entry")
        verbose_name_plural = _("message log")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="msglog_status"),
            models.Index(fields=["document_type", "document_id"], name="msglog_document"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        return mask_recipient(self.recipient)

    def held(self, now=None) -> bool:
        """Queued and waiting for its time (see `registry.Provider.not_before`)."""
        waiting = self.not_before is not None and self.not_before > (now or timezone.now())
        return self.status == Status.QUEUED and waiting


class MessageAttempt(models.Model):
    """One provider call (or check) for a message, written before the call and completed after it:
    an attempt without an outcome is one whose worker died during the call."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the provider")
        REFUSED = "refused", _("Refused by the provider")
        NO_ANSWER = "no_answer", _("No answer from the provider")
        CONFIRMED = "confirmed", _("Provider confirmed an earlier attempt")
        NOT_RECEIVED = "not_received", _("Provider had not received it")
        UNKNOWN = "unknown", _("Provider could not say")

    log = models.ForeignKey(MessageLog, models.CASCADE, related_name="attempt_log", verbose_name=_("message"))
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["log", "started_at", "pk"]

    def __str__(self):
        return f"{self.log_id} #{self.number}"
