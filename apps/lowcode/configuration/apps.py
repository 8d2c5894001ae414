from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    name = "apps.lowcode.configuration"
    label = "lowcode_configuration"
    verbose_name = _("Configuration transfer")
    default_auto_field = "django.db.models.BigAutoField"
