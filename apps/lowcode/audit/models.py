from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("opened")
    PRINT = "print", _("printed")
    EXPORT = "export", _("exported")


class PersonalDataAccess(models.Model):
    """One staff read of personal data (PIPL, MLPS 2.0): who, when, what and how many rows.
    Written by the system only; the desk shows it and never edits or deletes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    document_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("document type"))
    object_id = models.CharField(_("document"), max_length=64, blank=True, db_index=True)
    count = models.PositiveIntegerField(_("rows"), default=1)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=("user", "at"))]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.document_type} {self.object_id}"
