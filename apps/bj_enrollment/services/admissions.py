"""Admitting a junior-high student (R41): the school and the admitting action in one transaction.

The route is not chosen here: it follows from the action, and the engine's step
(rules/admission_routes.py) writes it with the transition record that decided it. The lottery, the
desk and the registration admission all come through `admit`, so a refused action (wrong state,
no right, a feeder school that is not paired) leaves the student exactly as it was, school included.
"""

from __future__ import annotations

from django.db import transaction

from apps.bj_enrollment.models import Student
from apps.lowcode.workflow import engine


def admit(user, student: Student, action: str, school=None, reason: str = "", *, system: bool = False):
    """Take an admitting `action` (workflow_actions.ADMIT_*, ASSIGN_BY_LOTTERY) with `school` as the
    junior high; returns the transition record. Raises the engine's WorkflowError when refused."""
    with transaction.atomic():
        locked = Student.objects.select_for_update().get(pk=student.pk)
        if school is not None and locked.school_id != school.pk:
            locked.school = school
            locked.save(update_fields=["school", "updated_at"])
        record = engine.apply_action(user, locked, action, reason, system=system, expected_state=student.state)
    for field in Student._meta.concrete_fields:
        setattr(student, field.attname, getattr(locked, field.attname))
    return record
