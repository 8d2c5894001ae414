from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WalkIn(models.Model):
    """A family that brought its printed form to a school of its zone (R23): the school verified the
    form (number and code) and may now see and decide the application. Written by the scan only."""

    application = models.ForeignKey(
        "bj_enrollment.Application", models.CASCADE, related_name="walk_ins", verbose_name=_("application")
    )
    school = models.ForeignKey("bj_enrollment.School", models.CASCADE, related_name="+", verbose_name=_("school"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("verified by")
    )
    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        constraints = [models.UniqueConstraint(fields=["application", "school"], name="walk_in_once_per_school")]

    def __str__(self):
        return f"{self.application} → {self.school}"
