"""R28: each school's plan and admitted list, names masked, public only once its district releases it.

Nothing here is cached: a withdrawal takes effect on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.lowcode.masking import mask_name
from apps.lowcode.workflow import states


def mask_form_number(number: str) -> str:
    """Enough for a family to recognise its own line, too little to look anyone up: 2611**70."""
    return f"{number[:4]}**{number[-2:]}" if len(number) == 8 else "********"


def live_release(campaign, district):
    from apps.bj_enrollment.models import DisclosureRelease

    return (
        DisclosureRelease.objects.filter(campaign=campaign, district=district, withdrawn_at__isnull=True)
        .order_by("-released_at")
        .first()
    )


def released_district_ids(campaign) -> set[int]:
    from apps.bj_enrollment.models import DisclosureRelease

    live = DisclosureRelease.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
    return set(live.values_list("district_id", flat=True))


def release(user, campaign, district, note: str = ""):
    """Publish the district's lists; releasing twice keeps the one live release."""
    from apps.bj_enrollment.models import DisclosureRelease

    with transaction.atomic():
        current = live_release(campaign, district)
        return current or DisclosureRelease.objects.create(
            campaign=campaign, district=district, released_by=user, note=note
        )


def withdraw(release_row) -> None:
    type(release_row).objects.filter(pk=release_row.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


@dataclass(frozen=True)
class SchoolLine:
    school: object
    seats: int | None
    admitted: int


def _admitted() -> tuple[str, ...]:
    """States whose outcome is admission (the shipped workflow: confirmed)."""
    from apps.bj_enrollment.models import Application

    return states.states_with(Application, "outcome", states.ADMITTED)


def school_lines(campaign, district) -> list[SchoolLine]:
    from apps.bj_enrollment.models import School, SchoolPlan

    plans = dict(SchoolPlan.objects.filter(campaign=campaign, school__district=district).values_list("school", "seats"))
    confirmed = Q(applications__campaign=campaign, applications__state__in=_admitted())
    schools = School.objects.filter(district=district, active=True).annotate(n=Count("applications", filter=confirmed))
    return [SchoolLine(s, plans.get(s.pk), s.n) for s in schools.order_by("name") if s.pk in plans or s.n]


def admitted_list(campaign, school) -> list[dict]:
    from apps.bj_enrollment.models import Application

    rows = (
        Application.objects.filter(campaign=campaign, school=school, state__in=_admitted())
        .order_by("child__name_pinyin", "form_number")
        .values_list("child__name", "form_number")
    )
    return [{"name": mask_name(name), "number": mask_form_number(number)} for name, number in rows]
