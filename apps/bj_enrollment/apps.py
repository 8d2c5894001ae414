from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BjEnrollmentConfig(AppConfig):
    name = "apps.bj_enrollment"
    label = "bj_enrollment"
    verbose_name = _("Enrollment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.bj_enrollment import access, deploy_checks, role_coverage, roles, workflow_setup  # noqa: F401  (registers checks)

        access.connect()  # the cached grants forget on any change to what they are made of
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        post_migrate.connect(workflow_setup.load_workflows_after_migrate, sender=self)
        workflow_setup.register()
        from apps.bj_enrollment import (
            messaging_setup,  # noqa: F401  (message audience, default templates)
            printing_setup,  # noqa: F401  (print context, default print formats)
        )
        from apps.bj_enrollment.reports import saved as saved_reports

        saved_reports.register()  # the DocTypes saved reports may read
