"""The record of every configuration import applied to this site: who, when, from which file and
what it changed. Written in the import's own transaction; never edited.

Its permissions are the transfer's: viewing the record lets one export (and see past imports),
adding one lets one import. The city administrator holds both (every DocType of the low-code apps)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfigurationImport(models.Model):
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("imported by"), help_text=_("Empty for the management command."),
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    digest = models.CharField(_("SHA-256 of the changes"), max_length=64)
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    changes = models.JSONField(_("changes"), default=list)  # [{"model", "name", "status", "differences"}]

    class Meta:
        verbose_name = _("configuration import")
        verbose_name_plural = _("configuration imports")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name or '-'} · {self.imported_at:%Y-%m-%d %H:%M}"
