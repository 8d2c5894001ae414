"""Admitting a junior-high student (R41): the school and the admitting action in one transaction (the
school is the decision's own field: the engine writes it with the new state, in one write and one
history row, once the action is allowed).

The route is not chosen here: it follows from the action, and the engine's step
(rules/admission_routes.py) writes it with the transition record that decided it. The lottery, the
desk and the registration admission all come through `admit`, so a refused action (wrong state,
no right, a feeder school that is not paired) leaves the student exactly as it was, school included.
"""

from __future__ import annotations

from apps.bj_enrollment.models import Student
from apps.lowcode.workflow import engine


def admit(user, student: Student, action: str, school=None, reason: str = "", *, system: bool = False):
    """Take an admitting `action` (workflow_actions.ADMIT_*, ASSIGN_BY_LOTTERY) with `school` as the
    junior high; returns the transition record. Raises the engine's WorkflowError when refused."""
    changes = {"school": school} if school is not None else None
    return engine.apply_action(user, student, action, reason, system=system, changes=changes)
