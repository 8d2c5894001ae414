from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class HighSchoolEntry(models.Model):
    """R42: how many of a public junior high's graduates of one year entered quality high schools, as the
    city imports it; the public chances page (/chances/) shows the share year by year."""

    school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, related_name="high_school_entries", verbose_name=_("junior high school")
    )
    year = models.PositiveSmallIntegerField(_("graduation year"))
    graduates = models.PositiveIntegerField(_("graduates"))
    quality_entrants = models.PositiveIntegerField(_("entered quality high schools"))

    scope_paths = {"district": "school__district_id", "school": "school_id"}

    class Meta:
        verbose_name = _("high-school entry")
        verbose_name_plural = _("high-school entries")
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="high_school_entry_unique"),
            models.CheckConstraint(condition=models.Q(quality_entrants__lte=models.F("graduates")),
                                   name="high_school_entry_within_graduates"),
        ]

    def __str__(self):
        return f"{self.school} {self.year}"

    @property
    def share(self) -> float:
        """Share of the year's graduates, 0..1 (0 when there were none)."""
        return self.quality_entrants / self.graduates if self.graduates else 0.0

    def clean(self):
        if self.graduates is not None and self.quality_entrants is not None and self.quality_entrants > self.graduates:
            raise ValidationError({"quality_entrants": _("More entrants than graduates.")})
