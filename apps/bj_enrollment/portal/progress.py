"""R19-R24 as a parent reads them: the steps of the application, each done, current, waiting or
refused (with the reviewer's reason), what to do next, and the dates of the windows ahead.

Derived from the workflow (its states' steps, parent labels, hints and outcomes) and its records,
so it follows whatever an administrator configured; nothing here changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.rules.five_certificates import shown_state
from apps.lowcode.workflow import engine, states

DONE, CURRENT, WAITING, REFUSED = "done", "current", "waiting", "refused"


@dataclass
class Step:
    key: str
    title: str
    status: str
    reason: str = ""


def steps(application) -> list[Step]:
    """The workflow's steps (states with a step title, in state order); the review step only for
    children without Beijing hukou (R4, R20; R5: a verified category skips it). The state is shown
    at its portal step: current, done when its outcome is admission, refused (with the reason)."""
    reviewed = not application.counts_as_local
    order = [s for s in states.steps(type(application)) if not s.review or reviewed]
    state = shown_state(application)
    row = states.state_of(application, state)
    outcome = row.outcome if row is not None else ""
    position = states.step_of(application, state)
    names = [s.name for s in order]
    index = names.index(position) if position in names else -1
    reason = last_reason(application) if outcome == states.REFUSED else ""
    result = []
    for i, step in enumerate(order):
        if i < index or (i == index and outcome == states.ADMITTED):
            status = DONE
        elif i == index:
            status = REFUSED if outcome == states.REFUSED else CURRENT
        else:
            status = WAITING
        result.append(Step(step.name, _(step.step_title), status, reason if status == REFUSED else ""))
    return result


def status_label(application) -> str:
    """The status as the family reads it (the state's parent label), R20 honoured."""
    return states.parent_label(application, shown_state(application))


def entering_details(application) -> bool:
    """Whether the details are still the family's to enter: the states the submit action leaves."""
    from apps.bj_enrollment import workflow_actions

    return application.state in states.sources(type(application), workflow_actions.SUBMIT)


def last_reason(application) -> str:
    record = engine.history(application).filter(to_state=application.state).order_by("-created_at", "-pk").first()
    return (record.reason if record else "") or application.rejection_reason


def next_step(application) -> str:
    """One sentence: what the parent should do now (the state's hint for the parent)."""
    row = states.state_of(application, shown_state(application))
    return _(row.parent_hint) if row is not None and row.parent_hint else ""


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
    outcome = states.flag(application, "outcome", state)
    if outcome == states.ADMITTED:
        record = engine.history(application).filter(to_state=state).order_by("-created_at", "-pk").first()
        return Result(True, application.school, record.created_at if record else None, "")
    if outcome == states.REFUSED:
        return Result(False, None, None, last_reason(application))
    return None
