"""What an account is granted, read together once and kept in the shared cache until it changes.

Every desk and API request asked the database the same five questions about its user before its
own work: the user's permissions, their groups' permissions, their groups, their roles, their
district or school (about 2 ms of the reviewer's 25 ms list, issue #17). `of(user)` answers them
together from the cache and reads the database only when the stored answer was read under an older
access version (a stamp, read with the request's others) or for other account columns (active,
staff, superuser, joined).
Any save or delete of what an answer is made of (a group, a permission, a role, a staff scope, a
school, the links between users, groups and permissions) moves the version on at once and again at
commit, so the next request reads afresh; a write past the ORM's signals (a queryset's update, raw
SQL) is caught by the answer's time to live. Without a shared cache (the embedded default's
per-process memory cannot tell other processes) every request reads afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.lowcode import stamps

TTL = 300  # seconds: the longest a write past the signals goes unseen


@dataclass(frozen=True)
class Grants:
    """One account's answers; `flags` are the account's own columns they were read for."""

    version: str
    flags: tuple
    user_permissions: frozenset[str]
    group_permissions: frozenset[str]
    group_ids: frozenset[int]
    roles: tuple  # of roles.HeldRole
    staff_scope: tuple[int | None, int | None, int | None] | None  # district, school, the school's district


def _flags(user) -> tuple:
    """The account's own columns an answer holds for; `date_joined` tells an account from another
    that got the same id (a restored backup, a test database made afresh)."""
    return (user.is_active, user.is_staff, user.is_superuser, user.date_joined)


STAMP = "access"  # the answers' version: a stamp (apps/lowcode/stamps.py), moved on by `changed`
stamps.register(STAMP)


def of(user) -> Grants:
    """The user's grants, for this request (kept on the user object, where the workflow engine
    also finds the user's groups: `engine.group_ids`)."""
    grants = getattr(user, "_bj_grants", None)
    if grants is None:
        grants = user._bj_grants = _cached(user)
        user._workflow_group_ids = grants.group_ids
    return grants


def _cached(user) -> Grants:
    version = stamps.current(STAMP)  # read before the rows: a change meanwhile gives a newer one
    if version is None:  # no shared cache
        return _read(user, "")
    key = f"access:grants:{user.pk}"
    grants = cache.get(key)
    if grants is not None and grants.version == version and grants.flags == _flags(user):
        return grants
    grants = _read(user, version)
    if not connection.in_atomic_block:  # inside, it may see its own change, which a rollback undoes
        cache.set(key, grants, timeout=TTL)
    return grants


def _read(user, version: str) -> Grants:
    from django.contrib.auth.backends import ModelBackend

    from apps.bj_enrollment import roles
    from apps.bj_enrollment.doctype.role import Role
    from apps.bj_enrollment.doctype.staff_scope import StaffScope

    backend = ModelBackend()
    fresh = user._meta.model(pk=user.pk, is_active=user.is_active, is_superuser=user.is_superuser)
    scope = StaffScope.objects.filter(user_id=user.pk).values_list("district_id", "school_id", "school__district_id")
    return Grants(
        version=version,
        flags=_flags(user),
        user_permissions=frozenset(backend.get_user_permissions(fresh)),
        group_permissions=frozenset(backend.get_group_permissions(fresh)),
        group_ids=frozenset(user.groups.values_list("pk", flat=True)),
        roles=tuple(
            roles.HeldRole(*row)
            for row in Role.objects.filter(group__user=user).values_list("name", "rank", "scope_level")
        ),
        staff_scope=scope.first(),
    )


def changed(**kwargs) -> None:
    """Every stored answer is stale: now (this transaction's own later requests, tests) and at
    commit (other processes that read the old rows meanwhile)."""
    stamps.renew(STAMP)


def connect() -> None:
    """Called once from the app's ready(): the models an answer is made of."""
    from django.contrib.auth import get_user_model

    from apps.bj_enrollment.doctype.role import Role
    from apps.bj_enrollment.doctype.staff_scope import StaffScope
    from apps.bj_enrollment.models import School

    # A user's own columns need no signal: an answer is used only for the flags it was read for.
    user_model = get_user_model()
    for model in (Group, Permission, Role, StaffScope, School):
        post_save.connect(changed, sender=model, dispatch_uid=f"access-saved-{model._meta.label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"access-deleted-{model._meta.label}")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"access-linked-{through._meta.label}")
