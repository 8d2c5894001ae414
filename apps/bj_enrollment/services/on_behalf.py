"""R2/R6: the district registers, on a family's behalf, the children the portal sends to it (over-age
children, foreign nationals, children from Hong Kong, Macao or Taiwan, special cases).

Every rule of the parent's registration applies except the one the case lets the district set aside;
the case and the reviewer's note go into the application's remarks and history. The parent's account
gets a random initial password, shown to the reviewer once and stored only as a hash.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.rules.passwords import readable_password
from apps.bj_enrollment.scope import scope_of
from apps.bj_enrollment.services import registration


class Case(models.TextChoices):
    OVER_AGE = "over_age", gettext_lazy("Over-age child (R2)")
    FOREIGN = "foreign", gettext_lazy("Foreign national")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", gettext_lazy("Child from Hong Kong, Macao or Taiwan")
    SPECIAL = "special", gettext_lazy("Special category")


# The parent's-registration error codes each case sets aside; nothing else is ever skipped.
OVERRIDES = {
    Case.OVER_AGE: frozenset({"over_age"}),
    Case.FOREIGN: frozenset({"district_handled"}),
    Case.HK_MACAO_TAIWAN: frozenset({"district_handled"}),
    Case.SPECIAL: frozenset(),
}


def may_register_for(user, district) -> bool:
    scope = scope_of(user)
    if not user.has_perm("bj_enrollment.register_on_behalf") or scope.school_id:
        return False
    return scope.everything or scope.district_id == district.pk


def register_on_behalf(user, reg: registration.Registration, case: str, note: str):
    """(application, initial password). Raises PermissionDenied outside the user's district and
    ValidationError by field otherwise."""
    if not may_register_for(user, reg.district):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the district registers this child.")})
    reg.password = readable_password()
    with transaction.atomic():
        application = registration.register(reg, overrides=OVERRIDES[Case(case)])
        application.remarks = _("Registered by the district on the family's behalf (%(case)s): %(note)s") % {
            "case": Case(case).label,
            "note": note,
        }
        application._history_user = user
        application._change_reason = application.remarks
        application.save(update_fields=["remarks", "updated_at"])
    return application, reg.password
