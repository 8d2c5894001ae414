from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import StreetKind


class Street(models.Model):
    """A town or subdistrict (乡镇/街道) inside a district; residence addresses name one."""

    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    code = models.CharField(_("code"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=StreetKind.choices, default=StreetKind.SUBDISTRICT)

    class Meta:
        verbose_name = _("town or subdistrict")
        verbose_name_plural = _("towns and subdistricts")
        ordering = ["district__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name_in_district")]

    def __str__(self):
        return self.name
