"""Print formats stored as data, rendered in a sandbox to PDF with embedded CJK fonts."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "apps.lowcode.printing"
    label = "lowcode_printing"
    verbose_name = _("Print formats")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.lowcode.printing import checks  # noqa: F401  (registers the system checks)
