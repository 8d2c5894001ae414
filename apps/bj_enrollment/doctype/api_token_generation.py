from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenGeneration(models.Model):
    """A parent account's API token generation: tokens carry the generation they were issued in, and
    log-out moves it on, so every token issued before is void (kept in the database, not in Redis,
    so that a restart cannot bring revoked tokens back)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        primary_key=True,
        related_name="api_token_generation",
        verbose_name=_("user"),
    )
    generation = models.PositiveIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("API token generation")
        verbose_name_plural = _("API token generations")

    def __str__(self):
        return f"{self.user_id}:{self.generation}"
