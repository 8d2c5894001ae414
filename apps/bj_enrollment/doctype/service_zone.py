from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceZone(models.Model):
    """Addresses a school (or, for a multi-school zone, several schools) serves (R34, R35)."""

    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="service_zones", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    schools = models.ManyToManyField("bj_enrollment.School", related_name="service_zones", verbose_name=_("schools"))
    areas = models.TextField(
        _("communities and addresses"), help_text=_("One residential compound, community or street range per line.")
    )
    multi_school = models.BooleanField(_("multi-school zone"), default=False)
    property_cutoff = models.DateField(
        _("property certificate cutoff"),
        null=True,
        blank=True,
        help_text=_("Certificates dated after this day are placed in the multi-school zone (R35)."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_paths = {"district": "district_id", "school": "schools"}

    class Meta:
        verbose_name = _("service zone")
        verbose_name_plural = _("service zones")
        ordering = ["district__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="zone_unique_name_in_district")]

    def __str__(self):
        return self.name

    def area_lines(self) -> list[str]:
        return [line.strip() for line in self.areas.splitlines() if line.strip()]

    def clean(self):
        if not self.area_lines():
            raise ValidationError({"areas": _("List at least one community or address.")})
