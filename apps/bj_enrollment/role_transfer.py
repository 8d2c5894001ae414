"""Configuration transfer hooks for roles (apps/lowcode/configuration): an imported role's group
permissions are written from its imported rows, as a desk save writes them.

Suggested entry (after auth.Group, before the workflows):
    Exportable("bj_enrollment.Role", key=("name",), exclude=("group",),
               children=(Child("doc_permissions", ("document_type",)),), hooks="apps.bj_enrollment.role_transfer")
`group` stays behind: `Role.save` finds or creates the group of the role's name on the target site.
"""

from __future__ import annotations

from apps.bj_enrollment.services.roles import apply_permissions


def before_write(role, record: dict) -> list[str]:
    return []


def after_write(role, record: dict) -> list[str]:
    """Whether every workflow action keeps a role is asked once the workflows arrive (their own
    validation, and the system check bj_enrollment.E104)."""
    apply_permissions(role)
    return []
