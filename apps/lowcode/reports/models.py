"""A saved report is configuration: a DocType, columns, filters, a group-by and a chart, shared with
roles (Django groups). Every value is plain JSON or a natural key (DocType `app.model`, roles by
name, owner by user name), so it travels with the site's other configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.lowcode.reports.registry import reportable_content_types, source_for


class Chart(models.TextChoices):
    NONE = "", _("No chart")
    BAR = "bar", _("Bar chart of the group counts")


class SavedReportManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class SavedReport(models.Model):
    name = models.CharField(_("report name"), max_length=200, unique=True)
    document_type = models.ForeignKey(
        "contenttypes.ContentType",
        models.PROTECT,
        limit_choices_to=reportable_content_types,
        verbose_name=_("DocType"),
    )
    columns = models.JSONField(_("columns"), default=list, blank=True)
    # [{"field": name, "op": one of query.OPERATORS, "value": text}, …], all must hold
    filters = models.JSONField(_("filters"), default=list, blank=True)
    group_by = models.CharField(_("group by"), max_length=100, blank=True)
    chart = models.CharField(_("chart"), max_length=8, choices=Chart.choices, blank=True, default=Chart.BAR)
    roles = models.ManyToManyField(
        "auth.Group", blank=True, related_name="saved_reports", verbose_name=_("roles"),
        help_text=_("Who may run it; each sees only the rows in their own scope."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SavedReportManager()

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["name"]
        permissions = [("manage_all_savedreports", _("Can change every saved report, not only one's own"))]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def model(self):
        return self.document_type.model_class() if self.document_type_id else None

    def plan(self):
        """The validated query (apps/lowcode/reports/query.py); raises ValidationError."""
        from apps.lowcode.reports.query import Plan

        source = source_for(self.model)
        if source is None:
            raise ValidationError({"document_type": _("Reports cannot be made on this DocType.")})
        return Plan(source, list(self.columns or []), list(self.filters or []), self.group_by)

    def clean(self):
        if not isinstance(self.columns, list) or not isinstance(self.filters, list):
            raise ValidationError(_("Columns and filters are lists."))
        if self.document_type_id:
            self.plan()
