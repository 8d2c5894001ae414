"""Binding twins and multiples (多胞胎同校) so the lottery places them together (docs/lottery.md §14).

The district binds the applications of children born the same day to the same guardian; the lottery
input then holds them as one group (bj-lottery-2). One home for the rule: the desk and any other
caller bind and unbind through these functions, which check scope, campaign, district, birth date
and guardian, atomically, with the history recording who did it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.bj_enrollment.lottery import engine
from apps.bj_enrollment.scope import in_scope


def check(user, form_numbers: list[str], *, lock: bool = False) -> list:
    """The applications to bind, in form number order; ValidationError says what is wrong.

    An application out of the user's scope reads as unknown, so the answer tells nothing about it."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthMember
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.scope import restrict

    numbers = list(dict.fromkeys(n.strip() for n in form_numbers if n.strip()))
    if not 2 <= len(numbers) <= engine.GROUP_MAX:
        raise ValidationError(_("A multiple birth group has 2 to %(max)s applications.") % {"max": engine.GROUP_MAX})
    live = restrict(Application.objects.filter(form_number__in=numbers, live_child__isnull=False), user)
    if lock:
        live = live.select_for_update()
    apps = list(live.select_related("child").order_by("form_number"))
    found = {app.form_number for app in apps}
    missing = [n for n in numbers if n not in found]
    if missing:
        message = _("No live application with form number %(numbers)s.")
        raise ValidationError(message % {"numbers": "、".join(missing)})
    _check_family(apps)
    bound = MultipleBirthMember.objects.filter(application__in=apps).values_list("application__form_number")
    if bound:
        message = _("Already in a multiple birth group: %(numbers)s.")
        raise ValidationError(message % {"numbers": "、".join(n for (n,) in bound)})
    return apps


def bind(user, form_numbers: list[str]):
    """A new group of the applications with these form numbers, checked again under a row lock."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup, MultipleBirthMember

    with transaction.atomic():
        apps = check(user, form_numbers, lock=True)
        group = MultipleBirthGroup(campaign_id=apps[0].campaign_id, district_id=apps[0].district_id, created_by=user)
        group._history_user = user
        group.save()
        for app in apps:
            member = MultipleBirthMember(group=group, application=app)
            member._history_user = user
            member.save()
    return group


def _check_family(apps) -> None:
    """Same campaign and district, different children born the same day, one guardian in common."""
    if len({(app.campaign_id, app.district_id) for app in apps}) != 1:
        raise ValidationError(_("The applications of a multiple birth group must be of one campaign and district."))
    if len({app.child_id for app in apps}) != len(apps):
        raise ValidationError(_("Each application of a multiple birth group must be another child's."))
    if len({app.child.birth_date for app in apps}) != 1:
        raise ValidationError(_("The children of a multiple birth group must have the same birth date."))
    guardians = None
    for app in apps:
        ids = {(g.id_type, g.id_number.strip().upper()) for g in app.guardians.all() if g.id_number.strip()}
        guardians = ids if guardians is None else guardians & ids
    if not guardians:
        raise ValidationError(_("The children of a multiple birth group must have a guardian in common."))


def unbind(user, group) -> None:
    """Dissolve a group; runs committed before keep the input they froze."""
    if not in_scope(user, group):
        raise PermissionDenied
    with transaction.atomic():
        for member in group.members.select_for_update():
            member._history_user = user
            member.delete()
        group._history_user = user
        group.delete()


def groups_of(run, participants: dict[str, int]) -> list[list[str]]:
    """The run's bound groups as participant ids: members that are participants, two or more."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthMember

    pid_of = {app_id: pid for pid, app_id in participants.items()}
    members: dict[int, list[str]] = {}
    rows = MultipleBirthMember.objects.filter(group__campaign=run.campaign, group__district=run.district)
    for group_id, app_id in rows.values_list("group_id", "application_id").order_by("group_id"):
        if app_id in pid_of:
            members.setdefault(group_id, []).append(pid_of[app_id])
    return [sorted(pids) for pids in members.values() if len(pids) >= 2]
