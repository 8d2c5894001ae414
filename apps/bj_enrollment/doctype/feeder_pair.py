from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeederPair(models.Model):
    """对口直升: a primary school whose graduates may go straight to a junior high school, set by the
    district for one junior-high campaign (so pairs can change from year to year)."""

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="feeder_pairs", verbose_name=_("campaign")
    )
    primary_school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, related_name="feeds", verbose_name=_("primary school")
    )
    junior_school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, related_name="fed_by", verbose_name=_("junior high school")
    )
    places = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: not limited."))

    scope_paths = {"district": "primary_school__district_id", "school": ("primary_school_id", "junior_school_id")}

    class Meta:
        verbose_name = _("feeder pair")
        verbose_name_plural = _("feeder pairs")
        ordering = ["campaign", "primary_school", "junior_school"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "primary_school", "junior_school"], name="feeder_pair_unique"
            ),
        ]

    def __str__(self):
        return f"{self.primary_school} → {self.junior_school}"

    def clean(self):
        errors = {}
        if self.primary_school_id and not self.primary_school.offers_primary:
            errors["primary_school"] = _("This school has no primary level.")
        if self.junior_school_id and not self.junior_school.offers_junior:
            errors["junior_school"] = _("This school has no junior high level.")
        if self.campaign_id and self.campaign.level != "junior":
            errors["campaign"] = _("Feeder pairs belong to a junior-high campaign.")
        if errors:
            raise ValidationError(errors)
