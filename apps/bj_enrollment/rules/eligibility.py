"""Who may register where and when (R1, R2, R3, R6, R10): one function per rule, shared by the
portal, the API and the district desk. Each raises ValidationError with a specific code and message."""

import datetime as dt

from django.utils import timezone

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.rules.registration import ended_states


def check_registration_window(campaign, district, at: dt.datetime | None = None) -> None:
    """R1: registering, entering and changing data only while the district's registration window is open."""
    window = campaign.window(Stage.REGISTRATION, district)
    at = at or timezone.now()
    if window is None:
        raise error_codes.WINDOW_MISSING.error()
    if at < window.opens_at:
        raise error_codes.WINDOW_NOT_OPEN.error(date=timezone.localtime(window.opens_at).strftime("%Y-%m-%d %H:%M"))
    if at >= window.closes_at:
        raise error_codes.WINDOW_CLOSED.error(date=timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M"))


def check_age(campaign, birth_date: dt.date) -> None:
    """R2: born on or before the cutoff; children born before the normal cohort are over-age (R6)."""
    if birth_date > campaign.age_cutoff:
        raise error_codes.TOO_YOUNG.error(date=campaign.age_cutoff.isoformat())
    if birth_date < campaign.cohort_start:
        raise error_codes.OVER_AGE.error(date=campaign.cohort_start.isoformat())


def check_district(district, hukou_district, residence_district) -> None:
    """R3: the chosen district is the child's hukou district or residence district."""
    allowed = {d.pk for d in (hukou_district, residence_district) if d is not None}
    if district.pk not in allowed:
        raise error_codes.WRONG_DISTRICT.error()


def check_mobile_limit(campaign, mobile: str) -> None:
    """R10: one guardian mobile number holds at most the configured number of live accounts."""
    from apps.bj_enrollment.models import Application

    used = (
        Application.objects.filter(campaign=campaign, mobile=mobile).exclude(state__in=ended_states()).count()
    )
    if used >= campaign.max_accounts_per_mobile:
        raise error_codes.MOBILE_LIMIT.error(count=campaign.max_accounts_per_mobile)
