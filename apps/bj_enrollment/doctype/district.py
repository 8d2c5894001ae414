from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """A district education committee's territory (区), keyed by its GB/T 2260 code."""

    code = models.CharField(
        _("administrative code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Enter the 6-digit administrative division code."))],
    )
    name = models.CharField(_("name"), max_length=32, unique=True)
    contact_phone = models.CharField(_("enrollment hotline"), max_length=64, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="district_code_6_digits"),
        ]

    def __str__(self):
        return self.name
