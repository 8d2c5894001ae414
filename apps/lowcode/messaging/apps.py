from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "apps.lowcode.messaging"
    label = "lowcode_messaging"
    verbose_name = _("Messages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.lowcode.messaging import checks  # noqa: F401  (registers the system checks)
