from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.lowcode.reports"
    label = "lowcode_reports"
    verbose_name = _("Saved reports")
    default_auto_field = "django.db.models.BigAutoField"
