"""What a staff user's roles let them do beyond model permissions: how far they see, whom they may
manage and which roles they may grant (R25), and whether they may export a DocType.

Roles are data (`doctype/role.py`, edited in the desk); the built-in ones are defaults loaded once
(`role_defaults.py`). Each answer reads the user's roles from their grants (access.py: cached,
kept on the user object for the request).
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.bj_enrollment import access
from apps.bj_enrollment.doctype.role import SCOPE_BREADTH, Role
from apps.lowcode.export_rights import may_export

__all__ = ["grantable_roles", "held_roles", "may_configure_role", "may_export", "may_manage", "rank", "scope_level"]

CITY_ADMIN = "市教委管理员"
DISTRICT_REVIEWER = "区教委审核员"
DISTRICT_ADMIN = "区教委管理员"
SCHOOL_REVIEWER = "学校审核员"

SUPERUSER_RANK = 10_000  # above any rank an administrator may give a role


@dataclass(frozen=True)
class HeldRole:
    name: str
    rank: int
    scope_level: str


def held_roles(user) -> tuple[HeldRole, ...]:
    """The user's roles (groups without a role row carry no rank and no scope level)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return access.of(user).roles


def rank(user) -> int:
    if user.is_superuser:
        return SUPERUSER_RANK
    return max((role.rank for role in held_roles(user)), default=0)


def scope_level(user) -> str | None:
    """The broadest scope level among the user's roles; None when no role gives one."""
    levels = [role.scope_level for role in held_roles(user)]
    return max(levels, key=lambda level: SCOPE_BREADTH.get(level, 0), default=None)


def grantable_roles(user) -> list[str]:
    """The roles `user` may give to someone: those strictly below their own."""
    own = rank(user)
    return list(Role.objects.filter(rank__lt=own).values_list("name", flat=True))


def may_configure_role(user, role_rank: int) -> bool:
    """Whether `user` may create, change or delete a role of this rank: only below their own, so
    nobody writes themselves a higher role than they hold."""
    return role_rank < rank(user)


def may_manage(user, other) -> bool:
    """Whether `user` may change `other`'s account (details, password, roles, scope)."""
    if user.is_superuser:
        return True
    if other.is_superuser or other.pk == user.pk:
        return False
    return rank(other) < rank(user)


def sync_roles(using: str = "default") -> None:
    """Load the built-in roles where they were never loaded; changes nothing an administrator set."""
    from apps.bj_enrollment.role_defaults import load_default_roles

    load_default_roles(using)


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """After a partial migrate (to an earlier migration, or before this release's) the role tables may
    not exist yet: the defaults wait for the migrate that creates them."""
    from django.db import connections

    from apps.bj_enrollment.doctype.role import Role, RolePermission

    tables = set(connections[using].introspection.table_names())
    if {Role._meta.db_table, RolePermission._meta.db_table} <= tables:
        sync_roles(using)
