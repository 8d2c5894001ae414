"""Registration rules that the desk, the portal and the API share (R3, R9)."""

from apps.bj_enrollment import error_codes
from apps.lowcode.workflow import states


def ended_states() -> tuple[str, ...]:
    """States that release the child's ID number for a new registration (R33, R19): the `ended` flag."""
    from apps.bj_enrollment.models import Application

    return states.states_with(Application, "ended")


def check_one_live_application(application) -> None:
    """R9/R3: one live application per child and campaign (the database enforces it too; this says why)."""
    from apps.bj_enrollment.models import Application

    ended = ended_states()
    if not (application.campaign_id and application.child_id) or application.state in ended:
        return
    other = (
        Application.objects.filter(campaign_id=application.campaign_id, child_id=application.child_id)
        .exclude(state__in=ended)
        .exclude(pk=application.pk)
        .select_related("district")
        .first()
    )
    if other:
        raise error_codes.ONE_LIVE_APPLICATION.error(number=other.form_number, district=other.district.name)
