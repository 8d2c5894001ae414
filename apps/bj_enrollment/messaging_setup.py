"""Messages about applications: who receives them and what templates may say.

Only the application's registered mobile (R11) hears about it; the context is the parent's own
data, unmasked. While the five-certificate decision is hidden (R20) every message about the
application waits for the district's results date. The default templates ship as files in
`message_templates/` and are loaded at migrate without overwriting an administrator's edits.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils import formats, timezone

from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.rules import five_certificates
from apps.bj_enrollment.services import notifications
from apps.bj_enrollment.services.reminders import SCHOOL_CHECK_EVENT
from apps.lowcode.messaging import loader, registry
from apps.lowcode.messaging.models import MessageTemplate
from apps.lowcode.workflow.states import parent_label

TEMPLATES_DIR = Path(__file__).resolve().parent / "message_templates"

SAMPLE = {
    "child_name": "王小明",
    "form_number": "20260001",
    "campaign": "2026年义务教育入学（小学）",
    "district": "东城区",
    "school": "史家胡同小学",
    "state": "已预录取",
    "reason": "",
    "material_number": "",
    "registered_date": "2026-05-06",
    "today": "2026-05-20",
    "school_check_opens": "2026年5月20日 08:30",
    "school_check_closes": "2026年5月22日 17:00",
}


def application_audience(app: Application) -> registry.Audience:
    return registry.Audience(
        recipients={"sms": [app.mobile]},
        context={
            "child_name": app.child.name,
            "form_number": app.form_number,
            "campaign": app.campaign.name,
            "district": app.district.name,
            "school": app.school.name if app.school_id else "",
            "state": parent_label(app),  # what the family sees (the state's parent label)
            "reason": app.rejection_reason,
            "material_number": app.material_number,
            "registered_date": timezone.localdate(app.registered_at).isoformat() if app.registered_at else "",
            "today": timezone.localdate().isoformat(),
            **_school_check_dates(app),
        },
    )


def _school_check_dates(app: Application) -> dict:
    """The district's school-check days (R1), for the reminder before them (R30)."""
    window = app.campaign.window(Stage.SCHOOL_CHECK, app.district)
    if window is None:
        return {"school_check_opens": "", "school_check_closes": ""}
    return {
        "school_check_opens": formats.date_format(timezone.localtime(window.opens_at), "DATETIME_FORMAT"),
        "school_check_closes": formats.date_format(timezone.localtime(window.closes_at), "DATETIME_FORMAT"),
    }


def application_not_before(app: Application, event: str):
    """R20: any message while the decision is hidden could tell it (its text, its state, its very
    timing), so each waits for the results date; None sends at once."""
    return five_certificates.hidden_until(app)


def load_default_templates():
    return loader.load_directory(TEMPLATES_DIR)


def load_templates_after_migrate(sender, using="default", **kwargs) -> None:
    if using != "default" or MessageTemplate._meta.db_table not in connections[using].introspection.table_names():
        return
    load_default_templates()


# The events the enrollment app sends itself (the workflow's own are known from the workflow).
OWN_EVENTS = (notifications.REGISTERED, notifications.LOTTERY_NOT_ASSIGNED, SCHOOL_CHECK_EVENT)

registry.register(
    Application, audience=application_audience, sample=SAMPLE, not_before=application_not_before, events=OWN_EVENTS
)
# The students' (R37/R38) and the transfers' (R39) audiences
from apps.bj_enrollment import student_messages, transfer_messages  # noqa: E402,F401

post_migrate.connect(
    load_templates_after_migrate,
    sender=apps.get_app_config("bj_enrollment"),
    dispatch_uid="bj-enrollment-message-templates",
)
