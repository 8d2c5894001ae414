from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "apps.lowcode.workflow"
    label = "lowcode_workflow"
    verbose_name = _("Workflows")
    default_auto_field = "django.db.models.BigAutoField"
