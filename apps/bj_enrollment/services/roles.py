"""Writing a role's configuration through to the Django group underneath it.

The role's rows are the truth; the group's permissions are derived from them (read → view_, create →
add_, change → change_, delete → delete_, export → export_<model>, created on first use), and its
workflow actions are the transitions that name its group. Every desk save and the defaults loader
come through here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db import transaction

from apps.bj_enrollment.doctype.role import Role

FLAGS = (("can_read", "view"), ("can_create", "add"), ("can_change", "change"), ("can_delete", "delete"))


def export_permission(content_type, using: str = "default") -> Permission:
    permission, _created = Permission.objects.using(using).get_or_create(
        content_type=content_type,
        codename=f"export_{content_type.model}",
        defaults={"name": f"Can export {content_type.name}"[:255]},
    )
    return permission


def derived_permissions(role: Role, using: str = "default") -> list[Permission]:
    rows = list(role.doc_permissions.using(using).select_related("document_type"))
    wanted = [
        (row.document_type_id, f"{prefix}_{row.document_type.model}")
        for row in rows
        for flag, prefix in FLAGS
        if getattr(row, flag)
    ]
    found = Permission.objects.using(using).filter(content_type_id__in={ct for ct, _c in wanted})
    by_key = {(p.content_type_id, p.codename): p for p in found}
    perms = [by_key[key] for key in wanted if key in by_key]
    perms += [export_permission(row.document_type, using) for row in rows if row.can_export]
    perms += list(role.extra_permissions.using(using).all())
    return perms


def apply_permissions(role: Role, using: str = "default") -> None:
    """Set the group's permissions to exactly what the role's rows say."""
    role.group.permissions.set(derived_permissions(role, using))


def set_workflow_actions(role: Role, chosen: Iterable, offered: Iterable) -> None:
    """Of the `offered` transitions, the `chosen` ones name the role's group and the others do not
    (each change gives the workflow a new revision, see lowcode/workflow/apps.py)."""
    chosen_ids = {t.pk for t in chosen}
    for t in offered:
        holds = any(group.pk == role.group_id for group in t.roles.all())
        if t.pk in chosen_ids and not holds:
            t.roles.add(role.group)
        elif t.pk not in chosen_ids and holds:
            t.roles.remove(role.group)


@transaction.atomic
def delete_role(role: Role) -> None:
    """The group goes with the role, and with it every transition's and state's mention of it."""
    group = role.group
    role.delete()
    group.delete()
