from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureRelease(models.Model):
    """A district's decision to publish its schools' plans and admitted lists (R28).

    Nothing is public without a row here; withdrawing sets `withdrawn_at` and keeps the row.
    """

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="disclosures", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="disclosures", verbose_name=_("district")
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("released by"), editable=False
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    scope_paths = {"district": "district_id"}

    class Meta:
        verbose_name = _("disclosure release")
        verbose_name_plural = _("disclosure releases")
        ordering = ["-released_at"]
        indexes = [models.Index(fields=["campaign", "district"], name="disclosure_scope")]

    def __str__(self):
        return f"{self.district} · {self.campaign}"
