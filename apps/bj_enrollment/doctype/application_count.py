from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationCount(models.Model):
    """How many applications share a campaign, district, school, state, hukou category and local
    day of registration: the statistics page's figures (R27) without counting 300,000 rows.

    Written only by the database's own triggers on the application table (migration
    0019_application_counts, apps/bj_enrollment/reports/counters.py), in the transaction of the
    change itself, so every insert, update and delete — the workflow engine's, a bulk action's, a
    district move, a raw `update()` — moves the counts with it. `school_key` is 0 for no school (a
    unique key treats NULLs as distinct).
    """

    campaign_id = models.BigIntegerField()
    district_id = models.BigIntegerField()
    school_key = models.BigIntegerField()
    state = models.CharField(max_length=32)
    hukou_category = models.CharField(max_length=16)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("application count")
        verbose_name_plural = _("application counts")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_id", "district_id", "school_key", "state", "hukou_category", "day"],
                name="application_count_key",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.district_id}/{self.school_key}/{self.state}/{self.day}: {self.n}"
