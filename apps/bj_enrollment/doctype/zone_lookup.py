from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneLookup(models.Model):
    """One ID number's look-ups of one address in one district and campaign: what the R34 limit counts.

    `id_key` is a keyed hash (HMAC-SHA256 with the site's secret) of the ID number, never the number:
    enough to count and to find a family's rows when they call, useless to anyone reading the table.
    `slot` numbers an ID's distinct addresses 1, 2, …; its unique index stops two simultaneous
    look-ups from both taking the last one.
    """

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="zone_lookups", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="zone_lookups", verbose_name=_("district")
    )
    id_key = models.CharField(_("ID number key"), max_length=64, editable=False)
    address = models.CharField(_("address"), max_length=200, editable=False)
    slot = models.PositiveSmallIntegerField(_("address number"), editable=False)
    times = models.PositiveIntegerField(_("times looked up"), default=1, editable=False)
    first_at = models.DateTimeField(_("first looked up at"), auto_now_add=True)
    last_at = models.DateTimeField(_("last looked up at"), auto_now=True)

    scope_paths = {"district": "district_id"}

    class Meta:
        verbose_name = _("zone look-up")
        verbose_name_plural = _("zone look-ups")
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "district", "id_key", "address"], name="zone_lookup_once_per_address"
            ),
            models.UniqueConstraint(fields=["campaign", "district", "id_key", "slot"], name="zone_lookup_one_per_slot"),
        ]
        indexes = [models.Index(fields=["-last_at"], name="zone_lookup_recent")]

    def __str__(self):
        return self.address
