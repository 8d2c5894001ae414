"""Model validation of check constraints, only where the validation covers their fields.

Django's CheckConstraint.validate builds an expression of every column of the row, then finds a
field it needs left out of the validation (a form edits a few columns) and skips the check. The
same checks are skipped here before that work: about a sixth of a details save's validation
(issue #17). Whatever the validation covers is checked exactly as Django checks it."""

from __future__ import annotations

from django.db.models import CheckConstraint, Q


class ChecksCoveredConstraints:
    """A model mixin: `validate_constraints(exclude)` leaves out the check constraints that
    reference an excluded field (as Django's own check would, at the cost of building the row)."""

    def validate_constraints(self, exclude=None):
        self._excluded_from_checks = set(exclude or ())
        try:
            super().validate_constraints(exclude)
        finally:
            del self._excluded_from_checks

    def get_constraints(self):
        constraints = super().get_constraints()
        excluded = getattr(self, "_excluded_from_checks", None)
        if not excluded:
            return constraints
        return [
            (model, [c for c in group if not (isinstance(c, CheckConstraint) and _fields(c) & excluded)])
            for model, group in constraints
        ]


def _fields(constraint: CheckConstraint) -> set[str]:
    return Q(constraint.condition).referenced_base_fields
