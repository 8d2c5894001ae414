"""R30: one SMS to each family ready to print a few days before its district's school-check days
open (the campaign's `school_check_reminder_days`), with the dates and what to bring."""

from __future__ import annotations

from django.utils import timezone

from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.models import Application, Campaign, District
from apps.bj_enrollment.rules import five_certificates
from apps.bj_enrollment.rules.printing import waiting_for_school
from apps.bj_enrollment.services import notifications

SCHOOL_CHECK_EVENT = "school_check_reminder"


def remind_school_check() -> int:
    """For the scheduler, once a day; a second run the same day (or a replayed job) sends nothing
    new. Returns how many reminders were queued."""
    now = timezone.now()
    today = timezone.localdate(now)
    queued = 0
    for campaign in Campaign.objects.filter(active=True, school_check_reminder_days__gt=0).prefetch_related("windows"):
        waiting = Application.objects.filter(campaign=campaign, state__in=waiting_for_school())
        for district in District.objects.filter(pk__in=waiting.values("district")):
            window = campaign.window(Stage.SCHOOL_CHECK, district)
            if window is None or window.opens_at <= now:
                continue
            if (timezone.localdate(window.opens_at) - today).days > campaign.school_check_reminder_days:
                continue
            for application in waiting.filter(district=district).select_related("child", "district", "school"):
                application.campaign = campaign  # its windows are prefetched
                if five_certificates.result_hidden(application):
                    continue  # R20: "ready to print" would tell the decision before its date
                queued += notifications.send_once(application, SCHOOL_CHECK_EVENT)
    return queued
