from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import Ownership


class School(models.Model):
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "bj_enrollment.Street",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("town or subdistrict"),
    )
    code = models.CharField(_("school code"), max_length=10, unique=True, help_text=_("10-digit school identifier"))
    name = models.CharField(_("name"), max_length=100)
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)
    offers_primary = models.BooleanField(_("primary school"), default=True)
    offers_junior = models.BooleanField(_("junior high school"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)

    scope_paths = {"district": "district_id", "school": "id"}
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_unique_name_in_district"),
            models.CheckConstraint(
                condition=models.Q(offers_primary=True) | models.Q(offers_junior=True),
                name="school_offers_a_level",
            ),
        ]
        indexes = [models.Index(fields=["district", "ownership"], name="school_district_ownership")]

    def __str__(self):
        return self.name
