"""R31-R33: a parent's account after registration: forgotten password, change, cancellation."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.bj_enrollment.models import Application
from apps.bj_enrollment.rules.identity import is_ascii_digits, normalise_id_number
from apps.bj_enrollment.rules.passwords import ParentPasswordValidator
from apps.bj_enrollment.rules.registration import ended_states
from apps.lowcode.workflow import engine

CANCEL_ACTION = "Cancel registration"


def find_for_reset(identifier: str, mobile: str) -> Application | None:
    """R31: the live application of the 8-digit number or the child's ID number with this registered
    mobile, or None. Callers answer a mismatch exactly like a match (portal/flows.py), so nothing
    tells strangers which numbers exist."""
    identifier, mobile = normalise_id_number(identifier), normalise_id_number(mobile)
    if not identifier or not mobile:
        return None
    match = Q(form_number=identifier) if is_ascii_digits(identifier, 8) else Q(child__id_number=identifier)
    return (
        Application.objects.filter(match, mobile=mobile, account__isnull=False, account__is_active=True)
        .exclude(state__in=ended_states())
        .select_related("account", "campaign")
        .first()
    )


def check_new_password(password: str, password2: str, user=None) -> None:
    if password != password2:
        raise ValidationError({"password2": [ValidationError(_("The two passwords differ."), code="mismatch")]})
    try:
        validate_password(password, user, password_validators=[ParentPasswordValidator()])
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None


def set_password(application: Application, password: str, password2: str) -> None:
    check_new_password(password, password2, application.account)
    application.account.set_password(password)
    application.account.save(update_fields=["password"])


def cancel(application: Application, user) -> None:
    """R33: the form becomes cancelled through the workflow (so it is recorded), and the account can
    no longer log in. The child's ID number is free again for a new registration."""
    with transaction.atomic():
        engine.apply_action(user, application, CANCEL_ACTION)
        user.is_active = False
        user.save(update_fields=["is_active"])
