"""Configuration transfer hooks for roles (apps/lowcode/configuration, entry `bj_enrollment.Role`): an
imported role is held to the desk's rules for whoever imports it (a rank below their own, a scope no
broader; the management command's operator is not a desk user), and its group's permissions are
written from its imported rows, as a desk save writes them. `group` stays behind (not editable):
`Role.save` finds or creates the group of the role's name on the target site.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.bj_enrollment import roles
from apps.bj_enrollment.doctype.role import SCOPE_BREADTH
from apps.bj_enrollment.services.roles import apply_permissions


def before_write(role, record: dict, user=None) -> list[str]:
    if user is None or user.is_superuser:
        return []
    found = []
    new_rank = record.get("rank", role.rank)
    if (role.pk is not None and not roles.may_configure_role(user, role.rank)) or not roles.may_configure_role(
        user, new_rank
    ):
        found.append(_("You may only give a role a rank below your own (%(rank)s).") % {"rank": roles.rank(user)})
    own = SCOPE_BREADTH.get(roles.scope_level(user) or "", 0)
    if SCOPE_BREADTH.get(record.get("scope_level", role.scope_level), 0) > own:
        found.append(_("You may not give a role a broader scope than your own."))
    return found


def after_write(role, record: dict, user=None) -> list[str]:
    """Whether every workflow action keeps a role is asked once the workflows arrive (their own
    validation, and the system check bj_enrollment.E104)."""
    apply_permissions(role)
    return []
