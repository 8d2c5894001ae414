import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import RegistryStatus


class Property(models.Model):
    """A property the family lives in, checked against the real-estate registry (R16)."""

    application = models.ForeignKey(
        "bj_enrollment.Application", models.CASCADE, related_name="properties", verbose_name=_("application")
    )
    certificate_number = models.CharField(_("certificate number"), max_length=64)
    owners = models.CharField(_("owners"), max_length=200)
    owner_relationship = models.CharField(_("owners' relationship to the child"), max_length=64)
    family_owned = models.BooleanField(
        _("family-owned"), default=False, help_text=_("Owned only by the parents and/or the child.")
    )
    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey("bj_enrollment.District", models.PROTECT, related_name="+", verbose_name=_("district"))
    certificate_date = models.DateField(_("certificate date"))
    property_type = models.CharField(_("property type"), max_length=32, blank=True)
    registry_status = models.CharField(
        _("registry check"), max_length=16, choices=RegistryStatus.choices, default=RegistryStatus.PENDING
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)
    # R17: what the real-estate registry said of this certificate when last asked (shown to the family)
    registry_answer = models.JSONField(_("registry answer"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    scope_paths = {
        "district": "application__district_id",
        "school": ("application__school_id", "application__walk_ins__school_id"),
    }
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "certificate_number"], name="property_certificate_once_per_application"
            ),
        ]

    def __str__(self):
        return self.certificate_number

    def clean(self):
        """One spelling per certificate (the registry is asked with it): full-width brackets and digits
        as parents type them on a phone become the ASCII the real-estate registry uses, spaces go."""
        self.certificate_number = normal_certificate_number(self.certificate_number)


def normal_certificate_number(number: str) -> str:
    return "".join(unicodedata.normalize("NFKC", number or "").split())
