"""Start-up checks: the configured SMS adapter exists and has the settings it needs."""

from django.conf import settings
from django.core import checks

from apps.lowcode.messaging.backends import BACKENDS

REQUIRED = {
    "aliyun": ("access_key_id", "access_key_secret", "sign_name", "template_code"),
    "tencent": ("secret_id", "secret_key", "sdk_app_id", "sign_name", "template_id"),
}


@checks.register()
def check_sms_settings(app_configs=None, **kwargs):
    adapter = settings.SMS_ADAPTER
    if adapter not in BACKENDS:
        return [
            checks.Error(f"SMS_ADAPTER {adapter!r} is not one of {', '.join(BACKENDS)}", id="lowcode_messaging.E001")
        ]
    options = settings.SMS_SETTINGS or {}
    missing = [name for name in REQUIRED.get(adapter, ()) if not options.get(name)]
    if missing:
        return [
            checks.Error(
                f"SMS adapter {adapter!r} needs {', '.join(missing)} under 'sms' in the site config",
                id="lowcode_messaging.E002",
            )
        ]
    return []
