"""Binding twins and multiples (多胞胎同校) so the lottery places them together (docs/lottery.md §14).

The district binds the applications of children born the same day to the same guardian (or, for
junior high, its students: 小升初 twins are drawn into one junior high the same way); the lottery input
then holds them as one group (bj-lottery-2). One home for the rule: the desk and any other
caller bind and unbind through these functions, which check scope, campaign, district, birth date
and guardian, atomically, with the history recording who did it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.bj_enrollment.lottery import engine
from apps.bj_enrollment.scope import in_scope
from apps.lowcode.workflow import states


@dataclass(frozen=True)
class _Member:
    """An application (primary: by form number) or a student (junior high: by education ID) to bind."""

    record: object
    number: str
    person: int
    birth_date: object
    guardians: frozenset


def check(user, numbers: list[str], *, lock: bool = False) -> list:
    """The applications (form numbers) or junior-high students (education IDs) to bind, in number
    order; ValidationError says what is wrong.

    A record out of the user's scope reads as unknown, so the answer tells nothing about it."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthMember

    numbers = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not 2 <= len(numbers) <= engine.GROUP_MAX:
        raise ValidationError(_("A multiple birth group has 2 to %(max)s applications.") % {"max": engine.GROUP_MAX})
    members = _applications(user, numbers, lock) or _students(user, numbers, lock)
    found = {m.number for m in members}
    missing = [n for n in numbers if n not in found]
    if missing:
        if not members:
            message = _("No live application or junior-high student with the number %(numbers)s.")
        elif _field(members[0].record) == "student":
            message = _("No junior-high student the lottery may place with education ID %(numbers)s.")
        else:
            message = _("No live application with form number %(numbers)s.")
        raise ValidationError(message % {"numbers": "、".join(missing)})
    _check_family(members)
    records = [m.record for m in members]
    field = _field(records[0])
    bound = MultipleBirthMember.objects.filter(**{f"{field}__in": records}).select_related(field)
    if bound:
        message = _("Already in a multiple birth group: %(numbers)s.")
        raise ValidationError(message % {"numbers": "、".join(sorted(str(m) for m in bound))})
    return records


def _applications(user, numbers, lock) -> list[_Member]:
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.scope import restrict

    live = restrict(Application.objects.filter(form_number__in=numbers, live_child__isnull=False), user)
    if lock:
        live = live.select_for_update()
    return [
        _Member(app, app.form_number, app.child_id, app.child.birth_date, _ids(app.guardians.all()))
        for app in live.select_related("child").prefetch_related("guardians").order_by("form_number")
    ]


def _students(user, numbers, lock) -> list[_Member]:
    """Junior-high students the lottery may still place (小升初 twins drawn into one junior high)."""
    from apps.bj_enrollment.models import Student
    from apps.bj_enrollment.scope import restrict

    ended = states.states_with(Student, "ended")
    live = restrict(Student.objects.filter(education_id__in=numbers).exclude(state__in=ended), user)
    if lock:
        live = live.select_for_update()
    return [
        _Member(student, student.education_id, student.pk, student.birth_date, _ids(student.guardians.all()))
        for student in live.prefetch_related("guardians").order_by("education_id")
    ]


def _ids(guardians) -> frozenset:
    return frozenset(g.id_number.strip().upper() for g in guardians if g.id_number.strip())


def _field(record) -> str:
    """The member's column for this kind of record: "application" or "student"."""
    return record._meta.model_name


def bind(user, numbers: list[str]):
    """A new group of the applications or students with these numbers, checked again under a row lock."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup, MultipleBirthMember

    with transaction.atomic():
        records = check(user, numbers, lock=True)
        group = MultipleBirthGroup(campaign_id=records[0].campaign_id, district_id=records[0].district_id,
                                   created_by=user)
        group._history_user = user
        group.save()
        for record in records:
            member = MultipleBirthMember(group=group, **{_field(record): record})
            member._history_user = user
            member.save()
    return group


def _check_family(members: list[_Member]) -> None:
    """Same campaign and district, different children born the same day, one guardian in common."""
    if len({(m.record.campaign_id, m.record.district_id) for m in members}) != 1:
        raise ValidationError(_("The applications of a multiple birth group must be of one campaign and district."))
    if len({m.person for m in members}) != len(members):
        raise ValidationError(_("Each application of a multiple birth group must be another child's."))
    if None in {m.birth_date for m in members} or len({m.birth_date for m in members}) != 1:
        raise ValidationError(_("The children of a multiple birth group must have the same birth date."))
    if not frozenset.intersection(*(m.guardians for m in members)):
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


def groups_of(run, participants: dict[str, int], *, field: str = "application") -> list[list[str]]:
    """The run's bound groups as participant ids: members that are participants, two or more.
    `participants` maps participant id → application id (or student id, with field="student"); the
    participants are already the run's (its district, or every district on the city-wide day)."""
    from apps.bj_enrollment.doctype.lottery_run import MultipleBirthMember

    pid_of = {record_id: pid for pid, record_id in participants.items()}
    members: dict[int, list[str]] = {}
    rows = MultipleBirthMember.objects.filter(group__campaign=run.campaign, **{f"{field}__isnull": False})
    for group_id, record_id in rows.values_list("group_id", f"{field}_id").order_by("group_id"):
        if record_id in pid_of:
            members.setdefault(group_id, []).append(pid_of[record_id])
    return [sorted(pids) for pids in members.values() if len(pids) >= 2]


def check_same_preferences(groups, participants: list[dict], numbers: dict[str, str]) -> None:
    """A group proposes as one: its members' ranked schools must be the same list. `numbers` names a
    participant as the district knows it (form number or education ID)."""
    preferences = {person["id"]: person["preferences"] for person in participants}
    for group in groups:
        if any(preferences[pid] != preferences[group[0]] for pid in group):
            message = _("The twins' preferences differ (%(numbers)s): make them the same or unbind them.")
            raise engine.LotteryInputError(message % {"numbers": "、".join(sorted(numbers[pid] for pid in group))})
