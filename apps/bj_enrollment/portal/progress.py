"""R19-R24 as a parent reads them: the steps of the application, each done, current, waiting or
refused (with the reviewer's reason), what to do next, and the dates of the windows ahead.

Derived from the state and the workflow's records, so it follows whatever an administrator
configured; nothing here changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.rules.five_certificates import shown_state
from apps.lowcode.workflow import engine

DONE, CURRENT, WAITING, REFUSED = "done", "current", "waiting", "refused"

# The order a parent sees; five-certificate review only for children without Beijing hukou (R4, R20).
_ORDER = [S.REGISTERED, S.IDENTITY_CHECK, S.FIVE_CERTIFICATE_REVIEW, S.READY_TO_PRINT, S.PRE_ADMITTED, S.CONFIRMED]
_REFUSED_AT = {
    S.IDENTITY_FAILED: S.IDENTITY_CHECK,
    S.FIVE_CERTIFICATE_REJECTED: S.FIVE_CERTIFICATE_REVIEW,
    S.SCHOOL_REJECTED: S.PRE_ADMITTED,
    S.DISTRICT_REJECTED: S.CONFIRMED,
}


@dataclass
class Step:
    key: str
    title: str
    status: str
    reason: str = ""


def _titles() -> dict[str, str]:
    return {
        S.REGISTERED: _("Enter and confirm the details"),
        S.IDENTITY_CHECK: _("Identity and hukou check"),
        S.FIVE_CERTIFICATE_REVIEW: _("Five-certificate review by the district"),
        S.READY_TO_PRINT: _("Print the information-collection form"),
        S.PRE_ADMITTED: _("School preliminary check"),
        S.CONFIRMED: _("District confirmation"),
    }


def steps(application) -> list[Step]:
    reviewed = not application.counts_as_local  # R5: a verified category skips the five-certificate review
    order = [s for s in _ORDER if s != S.FIVE_CERTIFICATE_REVIEW or reviewed]
    state = shown_state(application)
    position_state = _REFUSED_AT.get(state, state)
    index = order.index(position_state) if position_state in order else -1
    reason = last_reason(application) if state in _REFUSED_AT else ""
    titles = _titles()
    result = []
    for i, key in enumerate(order):
        if state in (S.CANCELLED, S.VOID):
            status = WAITING
        elif i < index or (state == S.CONFIRMED and key == S.CONFIRMED):
            status = DONE
        elif i == index:
            status = REFUSED if state in _REFUSED_AT else CURRENT
        else:
            status = WAITING
        result.append(Step(key, titles[key], status, reason if status == REFUSED else ""))
    return result


def last_reason(application) -> str:
    record = engine.history(application).filter(to_state=application.state).order_by("-created_at", "-pk").first()
    return (record.reason if record else "") or application.rejection_reason


def next_step(application) -> str:
    """One sentence: what the parent should do now."""
    texts = {
        S.REGISTERED: _("Enter the child's, the guardians' and the residence details, then confirm them."),
        S.IDENTITY_CHECK: _(
            "The identity check is running; come back later. You may withdraw to edit until it finishes."
        ),
        S.IDENTITY_FAILED: _("The identity check failed: see the reason, then contact the district."),
        S.FIVE_CERTIFICATE_REVIEW: _("Bring the five certificates to the district's review; the result appears here."),
        S.FIVE_CERTIFICATE_REJECTED: _("The five-certificate review was not passed: see the reason."),
        S.READY_TO_PRINT: _("Print the information-collection form and bring it to the school's check."),
        S.PRE_ADMITTED: _("The school pre-admitted the child; the district confirms the admission."),
        S.SCHOOL_REJECTED: _("The school did not pre-admit the child: see the reason and contact the district."),
        S.DISTRICT_REJECTED: _("The district sent the application back to the school: see the reason."),
        S.CONFIRMED: _("Admission is confirmed. See the result for the school and the date."),
        S.CANCELLED: _("This registration was cancelled."),
        S.VOID: _("This registration is void."),
    }
    return texts.get(shown_state(application), "")


def upcoming_windows(application) -> list[tuple[str, object, object, bool]]:
    """(stage label, opens, closes, open now) for the stages that have not ended yet."""
    now = timezone.now()
    rows = []
    for stage in (
        Stage.REGISTRATION,
        Stage.FIVE_CERTIFICATE_RESULTS,
        Stage.SCHOOL_CHECK,
        Stage.DISTRICT_CONFIRMATION,
        Stage.RESULTS,
    ):
        window = application.campaign.window(stage, application.district)
        if window and window.closes_at > now:
            rows.append((Stage(stage).label, window.opens_at, window.closes_at, window.contains(now)))
    return rows


@dataclass
class Result:
    admitted: bool
    school: object | None
    decided_at: object | None
    reason: str


def result(application) -> Result | None:
    """R23/R24: the school and the date of the district's confirmation, or the reason of a refusal
    (a five-certificate refusal only from its results date, R20)."""
    state = shown_state(application)
    if state == S.CONFIRMED:
        record = engine.history(application).filter(to_state=S.CONFIRMED).order_by("-created_at", "-pk").first()
        return Result(True, application.school, record.created_at if record else None, "")
    if state in (S.SCHOOL_REJECTED, S.DISTRICT_REJECTED, S.IDENTITY_FAILED, S.FIVE_CERTIFICATE_REJECTED):
        return Result(False, None, None, last_reason(application))
    return None
