from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.lowcode.audit"
    label = "lowcode_audit"
    verbose_name = _("Personal data access")
    default_auto_field = "django.db.models.BigAutoField"
