from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolPlan(models.Model):
    """A school's enrollment plan for a campaign: the seats pre-admission may fill (R23) and the
    lottery assigns (R36)."""

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="school_plans", verbose_name=_("campaign")
    )
    school = models.ForeignKey("bj_enrollment.School", models.CASCADE, related_name="plans", verbose_name=_("school"))
    seats = models.PositiveIntegerField(_("seats"))
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)

    scope_paths = {"district": "school__district_id", "school": "school_id"}
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("school plan")
        verbose_name_plural = _("school plans")
        ordering = ["campaign", "school"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="school_plan_once_per_campaign")]

    def __str__(self):
        return f"{self.school} · {self.seats}"
