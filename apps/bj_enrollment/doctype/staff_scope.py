from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffScope(models.Model):
    """Frappe's User Permission: ties a reviewer to the one district or school they may see (R25)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_scope", verbose_name=_("user")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(district__isnull=False, school__isnull=True)
                    | models.Q(district__isnull=True, school__isnull=False)
                ),
                name="staff_scope_district_xor_school",
            ),
        ]

    def __str__(self):
        return str(self.school or self.district)
