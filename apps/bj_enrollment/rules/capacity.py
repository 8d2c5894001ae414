"""R23: pre-admission never exceeds the school's plan, also when reviewers click at the same moment.

Runs inside the workflow engine's transaction after the application moved (a step of the
application's workflow, `workflow_setup.register`). The plan row is locked, so concurrent
pre-admissions at one school queue up, each counts the seats taken including its own, and a refusal
undoes the transition. Two reviewers holding two
applications and reaching for one plan can deadlock; the engine then retries the loser, which is
refused by the count.
"""

from django.utils.translation import gettext as _

from apps.lowcode.workflow import states
from apps.lowcode.workflow.errors import Refused


def taking_a_seat() -> tuple[str, ...]:
    """States that count toward a school's plan (the `takes_seat` flag of the workflow's states)."""
    from apps.bj_enrollment.models import Application

    return states.states_with(Application, "takes_seat")


def seats_taken(campaign_id: int, school_id: int) -> int:
    from apps.bj_enrollment.models import Application

    return Application.objects.filter(
        campaign_id=campaign_id, school_id=school_id, state__in=taking_a_seat()
    ).count()


def _plan_id(document) -> int | None:
    from apps.bj_enrollment.models import SchoolPlan

    return (
        SchoolPlan.objects.filter(campaign_id=document.campaign_id, school_id=document.school_id)
        .values_list("pk", flat=True)
        .first()
    )


def check_capacity(document, record) -> None:
    from apps.bj_enrollment.models import SchoolPlan

    seated = taking_a_seat()
    if record.to_state not in seated or record.from_state in seated:
        return
    if document.school_id is None:
        raise Refused(reason=_("Choose the school before pre-admitting."))
    plan_id = _plan_id(document)
    if plan_id is None:
        return  # no plan entered: no limit to enforce
    plan = SchoolPlan.objects.select_for_update().get(pk=plan_id)
    if seats_taken(document.campaign_id, document.school_id) > plan.seats:
        raise Refused(
            reason=_("%(school)s has no seat left: its plan has %(seats)d seats and all are taken.")
            % {"school": document.school.name, "seats": plan.seats}
        )
