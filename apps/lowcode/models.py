"""The job outbox: every background job is first a row, written in the transaction that needs it.

A row outlives a Redis that drops the job or a worker killed mid-job: the scheduler's sweeper
(`jobs.sweep`) sends any row that is overdue again, and the runner marks it done, so a job that
reaches a worker twice runs once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
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


class ExportFile(models.Model):
    """A spreadsheet a desk user asked for, written by a worker (apps/lowcode/export_jobs.py).

    Only its owner downloads it, until `expires_at`; the worker applies the owner's scope again when
    it reads the rows, so the file holds what the owner may see at that moment.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"

    key = models.CharField(_("key"), max_length=32, unique=True, default=new_key, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                              verbose_name=_("requested by"))
    title = models.CharField(_("title"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.XLSX)
    spec = models.JSONField(_("what to export"), default=dict)  # model, columns, params, scope: no secrets
    query = models.BinaryField(_("query"), editable=False)  # the owner's filtered queryset, pickled
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.CharField(_("file"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title
