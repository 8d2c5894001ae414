from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomfieldsConfig(AppConfig):
    name = "apps.lowcode.customfields"
    label = "lowcode_customfields"
    verbose_name = _("Custom fields")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.lowcode.customfields import checks  # noqa: F401  (registers the system check)
