from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "apps.lowcode.printing"
    label = "lowcode_printing"
    verbose_name = _("Print formats")
    default_auto_field = "django.db.models.BigAutoField"
