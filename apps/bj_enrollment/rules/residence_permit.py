"""R18: a guardian's residence permit held continuously for the campaign's minimum months.

One check for both dates it is applied to: the date the parent enters (on submission) and the date
the residence-permit registry answers (in the registry check).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import HukouCategory


def required(application) -> bool:
    """R18 applies to a child without Beijing hukou, unless a "counts as local" category (R5) is
    verified or still awaiting the district's decision: the family is not asked for a permit it may
    not have. A claim refused later brings R18 back (the identity check asks the registry)."""
    from apps.bj_enrollment.rules import categories

    if application.hukou_category != HukouCategory.NONLOCAL:
        return False
    return not (categories.counts_as_local(application) or categories.awaiting_decision(application))


def months_between(since: dt.date, until: dt.date) -> int:
    """Whole months from `since` to `until` (a permit from 15 March has one month on 15 April)."""
    return (until.year - since.year) * 12 + until.month - since.month - (until.day < since.day)


def check_duration(campaign, since: dt.date, today: dt.date | None = None) -> None:
    """Raise error_codes.PERMIT_TOO_SHORT when a permit held since `since` is younger than the
    campaign's minimum."""
    minimum = campaign.residence_permit_min_months
    held = months_between(since, today or timezone.localdate())
    if held < minimum:
        raise error_codes.PERMIT_TOO_SHORT.error(held=max(0, held), months=minimum)
