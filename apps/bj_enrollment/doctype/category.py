from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import CategoryKind


class Category(models.Model):
    """A special or priority category (R5, R6); the lists are configuration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("special category")
        verbose_name_plural = _("special categories")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
