from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BjEnrollmentConfig(AppConfig):
    name = "apps.bj_enrollment"
    label = "bj_enrollment"
    verbose_name = _("Enrollment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.bj_enrollment import roles, workflow_setup

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        post_migrate.connect(workflow_setup.load_workflows_after_migrate, sender=self)
        from apps.bj_enrollment.rules import capacity, material_numbers
        from apps.lowcode.workflow.signals import transition_applied

        transition_applied.connect(capacity.check_capacity, dispatch_uid="bj-enrollment-capacity")
        transition_applied.connect(material_numbers.issue_material_number, dispatch_uid="bj-enrollment-material")
        from apps.bj_enrollment import (
            messaging_setup,  # noqa: F401  (message audience, default templates)
            printing_setup,  # noqa: F401  (print context, default print formats)
        )
