"""The graduating school corrects a student's data after the family's report (R38), in one step: the
fields and the workflow's Correct data (with the school's reason) in one transaction, so a correction
is never saved without sending the student back to the family, and a refused action (wrong state, no
right, out of scope) leaves every field as it was. History keeps the old and new values, with the
reason as the history's change reason."""

from __future__ import annotations

from django.db import transaction

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, StudentGuardian
from apps.lowcode.workflow import engine

# What a school may correct here
FIELDS = ("name", "gender", "birth_date", "id_type", "id_number", "hukou_province", "hukou_district",
          "hukou_address", "graduating_class", "mobile")
GUARDIAN_FIELDS = ("name", "relationship", "phone")


def correct(user, student: Student, changes: dict, reason: str, guardians: list[dict] | None = None):
    """Write `changes` (FIELDS only) and the guardians' corrections, and take Correct data as `user`;
    returns the transition record. `guardians`: one dict per guardian row, {"id": pk or None for a new
    guardian, "delete": bool, and GUARDIAN_FIELDS}. Raises the engine's WorkflowError when refused,
    and then nothing is written."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not correctable here: {sorted(unknown)}")
    with transaction.atomic():
        locked = Student.objects.select_for_update().get(pk=student.pk)
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
        if changed:
            locked._change_reason = reason  # simple_history's change reason on the version with the new values
            locked.save(update_fields=[*changed, "updated_at"])
        _correct_guardians(locked, guardians or [], reason)
        record = engine.apply_action(user, locked, A.CORRECT_DATA, reason, expected_state=student.state)
    for field in Student._meta.concrete_fields:
        setattr(student, field.attname, getattr(locked, field.attname))
    return record


def _correct_guardians(student: Student, rows: list[dict], reason: str) -> None:
    """The guardians' rows as corrected, each change in the guardian's history with the school's reason."""
    existing = {g.pk: g for g in student.guardians.all()}
    for row in rows:
        values = {name: row.get(name, "") for name in GUARDIAN_FIELDS}
        guardian = existing.get(row.get("id")) if row.get("id") else StudentGuardian(student=student)
        if guardian is None:
            raise ValueError(f"not a guardian of {student}: {row.get('id')}")
        guardian._change_reason = reason
        if row.get("delete"):
            if guardian.pk:
                guardian.delete()
            continue
        if guardian.pk and all(getattr(guardian, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(guardian, name, value)
        guardian.save()
