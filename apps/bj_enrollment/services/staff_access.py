"""Changes to a staff user's access: enrolling the second factor, and a higher role resetting it or
unlocking a locked log-in. Each is atomic and recorded in the user's desk history (admin log)."""

from __future__ import annotations

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.bj_enrollment.desk.lockout import account_key, unlock
from apps.bj_enrollment.roles import may_manage

logger = logging.getLogger(__name__)


def _record(actor, user, message: str) -> None:
    LogEntry.objects.log_actions(user_id=actor.pk, queryset=[user], action_flag=CHANGE, change_message=message)
    logger.info("staff access: %s by user %s for user %s", message, actor.pk, user.pk)


def pending_device(user) -> TOTPDevice:
    """The one unconfirmed device the user is setting up (kept across page loads until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="desk", confirmed=False)


@transaction.atomic
def confirm_device(user, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    _record(user, user, "Second factor enrolled")


@transaction.atomic
def reset_second_factor(actor, user) -> int:
    """Remove the user's devices: their verified sessions stop counting and the next log-in enrols anew."""
    if not may_manage(actor, user):
        raise PermissionDenied
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    _record(actor, user, "Second factor reset")
    return deleted


def unlock_login(actor, user) -> None:
    """Lift the lock-out of the user's account (the per-address count is kept)."""
    if not may_manage(actor, user):
        raise PermissionDenied
    unlock(account_key(user.get_username()))
    _record(actor, user, "Log-in unlocked")
