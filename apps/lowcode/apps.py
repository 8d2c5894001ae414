from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LowcodeConfig(AppConfig):
    """Generic low-code layer (workflows, custom fields, print formats, messages); knows no enrollment."""

    name = "apps.lowcode"
    label = "lowcode"
    verbose_name = _("Low-code configuration")

    def ready(self):
        from apps.lowcode import deploy_checks  # noqa: F401  (registers the checks)
