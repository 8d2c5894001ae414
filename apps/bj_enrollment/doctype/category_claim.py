from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CategoryClaim(models.Model):
    """A family's declaration that the child belongs to a special or priority category (R5), with
    the document that proves it; it counts only once the district verified it. Written by
    services/categories.py only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Not accepted")

    application = models.ForeignKey(
        "bj_enrollment.Application", models.CASCADE, related_name="category_claims", verbose_name=_("application")
    )
    category = models.ForeignKey(
        "bj_enrollment.Category", models.PROTECT, related_name="claims", verbose_name=_("special category")
    )
    document_number = models.CharField(
        _("document number"), max_length=40, help_text=_("E.g. the officer's ID or the work residence permit number.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewer")
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    scope_paths = {"district": "application__district_id"}

    class Meta:
        verbose_name = _("category claim")
        verbose_name_plural = _("category claims")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "category"], name="category_claim_once_per_category")
        ]

    def __str__(self):
        return f"{self.application} · {self.category}"
