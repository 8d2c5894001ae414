from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryExport(models.Model):
    """One export of admitted children for the student e-registry (R29), kept as evidence of who
    took which personal data when: the rows themselves are not stored, their count and hash are."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.PROTECT, related_name="registry_exports", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("district"),
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    layout_version = models.CharField(_("column layout"), max_length=32)
    rows = models.PositiveIntegerField(_("rows"))
    sha256 = models.CharField(_("file SHA-256"), max_length=64)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    scope_paths = {"district": "district_id", "school": "school_id"}

    class Meta:
        verbose_name = _("student registry export")
        verbose_name_plural = _("student registry exports")
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.get_file_format_display()} · {self.exported_at:%Y-%m-%d %H:%M}"
