"""R1: the dated stages. Every act that belongs to a stage happens only while the stage's window is
open for the application's district, whoever acts (a reviewer's click, a bulk job, the API), and a
district sets its own dates only inside the city's.

The stage of a move is known by where it starts and what it does; the dates are data (campaign
windows, city-wide or per district).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.rules.printing import waiting_for_school
from apps.lowcode.workflow import states
from apps.lowcode.workflow.errors import Refused


def stage_of_move(document, from_state: str, action: str) -> str | None:
    """The stage whose window must be open for this move, from the state's flags: a school's decision
    on a family waiting for its check, or the district's on a seat taken but not yet confirmed. The
    lottery's own assignment and the district's corrections of a confirmed result (R24) are not bound
    to a reviewer's window."""
    if action in (A.PRE_ADMIT, A.REJECT) and from_state in waiting_for_school():
        return Stage.SCHOOL_CHECK
    row = states.state_of(document, from_state)
    if action in (A.CONFIRM_ADMISSION, A.REJECT) and row is not None and row.takes_seat and not row.outcome:
        return Stage.DISTRICT_CONFIRMATION
    return None


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def require_open_window(document, record) -> None:
    """A workflow step (workflow_setup.register): refuses a move outside its stage's window."""
    stage = stage_of_move(document, record.from_state, record.action)
    if stage is None:
        return
    window = document.campaign.window(stage, document.district)
    if window is None:
        raise Refused(reason=_("No dates are set for %(stage)s yet.") % {"stage": Stage(stage).label})
    if not window.contains(timezone.now()):
        raise Refused(reason=_("%(stage)s runs from %(opens)s to %(closes)s; this cannot be done now.") % {
            "stage": Stage(stage).label, "opens": _when(window.opens_at), "closes": _when(window.closes_at)})


def check_window_dates(window) -> None:
    """A district's window lies within the city's window of the same stage, and a city window never
    shrinks past the district windows inside it. Raises ValidationError with the dates."""
    from apps.bj_enrollment.models import CampaignWindow

    if not (window.campaign_id and window.stage and window.opens_at and window.closes_at):
        return
    if window.stage not in Stage.of_level(window.campaign.level):
        raise ValidationError({"stage": _("This stage is not one of this campaign's (%(level)s).") % {
            "level": window.campaign.get_level_display()}})
    if window.closes_at <= window.opens_at:
        raise ValidationError({"closes_at": _("A window closes after it opens.")})
    same = CampaignWindow.objects.filter(campaign_id=window.campaign_id, stage=window.stage).exclude(pk=window.pk)
    if window.district_id:
        city = same.filter(district__isnull=True).first()
        if city and not (city.opens_at <= window.opens_at and window.closes_at <= city.closes_at):
            raise ValidationError(_("A district's dates must lie within the city's: %(opens)s to %(closes)s.") % {
                "opens": _when(city.opens_at), "closes": _when(city.closes_at)})
        return
    inside = {"opens_at__gte": window.opens_at, "closes_at__lte": window.closes_at}
    outside = same.filter(district__isnull=False).exclude(**inside)
    names = "、".join(outside.values_list("district__name", flat=True))
    if names:
        raise ValidationError(_("These districts' dates would lie outside the city's: %(districts)s.") % {
            "districts": names})


def may_edit_window(user, window) -> bool:
    """City staff edit every window; a district its own district's windows, never the city's."""
    from apps.bj_enrollment.scope import scope_of

    scope = scope_of(user)
    if scope.everything:
        return True
    return bool(window.district_id) and window.district_id == scope.district_id and not scope.school_id
