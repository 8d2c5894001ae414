"""The job outbox: every background job is first a row, written in the transaction that needs it.

A row outlives a Redis that drops the job or a worker killed mid-job: the scheduler's sweeper
(`jobs.sweep`) sends any row that is overdue again, and the runner marks it done, so a job that
reaches a worker twice runs once.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return uuid.uuid4().hex


class OutboxJob(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be queued")
        ENQUEUED = "enqueued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        DEAD = "dead", _("Given up")

    key = models.CharField(_("idempotency key"), max_length=32, unique=True, default=new_key, editable=False)
    func = models.CharField(_("job"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=32, default="default")
    retry = models.JSONField(_("queue retries"), default=dict, blank=True)  # {"max": n, "intervals": [s, …]}
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("overdue at"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.func} {self.key[:8]}"
