"""Every staff action of an active workflow must stay takeable: some role the transition names must
also hold the change permission on the workflow's DocType (the engine asks for both).

One rule, `unstaffed_actions`, serves the system check (`bj_enrollment.E104`, with `check --database`
and at every `migrate`) and the desk's role page, which asks it about the configuration being saved
or the role being deleted before anything is written.
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import Group
from django.core.checks import Error, Tags, register
from django.utils.translation import gettext as _

from apps.lowcode.workflow.definitions import action_label


def _changers(using: str) -> dict[int, set[int]]:
    """DocType id → the groups holding its change permission."""
    rows = Group.permissions.through.objects.using(using).filter(permission__codename__startswith="change_")
    found: dict[int, set[int]] = {}
    for group_id, ct_id, codename, model in rows.values_list(
        "group_id", "permission__content_type_id", "permission__codename", "permission__content_type__model"
    ):
        if codename == f"change_{model}":
            found.setdefault(ct_id, set()).add(group_id)
    return found


def unstaffed_actions(
    *,
    group_id: int | None = None,
    change_types: Collection[int] = (),
    transition_ids: Collection[int] = (),
    deleted: bool = False,
    using: str = "default",
) -> list[str]:
    """One sentence per staff-only transition of an active workflow that no role could take. With
    `group_id` (a role's group, None for a new role), as if that role changed the DocTypes
    `change_types` and named the transitions `transition_ids`, or were `deleted`."""
    from apps.lowcode.workflow.models import Transition

    changers = _changers(using)
    transitions = (
        Transition.objects.using(using)
        .filter(workflow__is_active=True, allow_system=False, allow_document_user=False)
        .select_related("workflow")
        .prefetch_related("roles")
        .order_by("workflow__name", "position", "pk")
    )
    found = []
    for t in transitions:
        ct = t.workflow.document_type_id
        able = {g.pk for g in t.roles.all() if g.pk != group_id and g.pk in changers.get(ct, ())}
        if not deleted and t.pk in transition_ids and ct in change_types:
            able.add(group_id or 0)
        if not able:
            found.append(
                _("Nobody could take the action %(action)s from %(state)s in workflow %(workflow)s: no role "
                  "it names may change that document type.")
                % {"action": action_label(t.action), "state": t.from_state, "workflow": t.workflow.name}
            )
    return found


@register(Tags.database)
def check_staffed_actions(app_configs=None, databases=None, **kwargs):
    from apps.lowcode.schema import rows_checkable
    from apps.lowcode.workflow.models import Transition

    found = []
    for alias in databases or ():
        if not rows_checkable(alias, Transition):
            continue
        found.extend(
            Error(problem, hint=_("Give the action to a role that may change the document type, in the desk."),
                  id="bj_enrollment.E104")
            for problem in unstaffed_actions(using=alias)
        )
    return found
