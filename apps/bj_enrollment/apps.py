from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BjEnrollmentConfig(AppConfig):
    name = "apps.bj_enrollment"
    label = "bj_enrollment"
    verbose_name = _("Enrollment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.bj_enrollment import roles

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
