"""Preferences (志愿, R41): the one home of every rule about a student's ranked schools, used by the
portal's page, the API and the desk.

- Who: a student whose family confirmed the graduate data (state confirmed) and who has no school yet.
- When: the campaign's JUNIOR_REGISTRATION window for the student's district (the district's own window
  if it set one, else the city's); no window means closed. Checked on every write, outside and again
  under the student's row lock.
- What: the district's PreferenceSetting says how many schools and which (junior highs of the
  student's district, of its ownership, within the graduating school's 学区 when asked); no setting, no
  preferences. A list names each school once.
- Draft and confirmed: saving replaces the draft; confirming (an SMS code to the mobile on file) copies
  the draft over the confirmed list. The lottery reads the confirmed list only, copied into the run's
  input at commit (lottery/student_inputs.py). Each function changes nothing when it refuses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import Stage, StudentState
from apps.bj_enrollment.models import Preference, PreferenceList, PreferenceSetting, School, Student
from apps.bj_enrollment.portal import sms_codes
from apps.bj_enrollment.portal.flows import send_code

PURPOSE = "junior_preferences"  # the SMS code's purpose, bound to the student (portal/sms_codes.py)
DRAFT, CONFIRMED = PreferenceList.Kind.DRAFT, PreferenceList.Kind.CONFIRMED


@dataclass
class Lists:
    """What the family sees: the schools it may list, its draft and its confirmed list."""

    setting: PreferenceSetting
    allowed: list[School]
    draft: list[School]
    confirmed: list[School]
    confirmed_at: object = None
    closes_at: object = None
    open: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """The draft differs from the confirmed list (what the lottery would read)."""
        return [s.pk for s in self.draft] != [s.pk for s in self.confirmed]


def setting_for(student: Student) -> PreferenceSetting:
    setting = PreferenceSetting.objects.filter(campaign_id=student.campaign_id, district_id=student.district_id).first()
    if setting is None:
        raise error_codes.PREFERENCES_NOT_OFFERED.error()
    return setting


def allowed_schools(student: Student, setting: PreferenceSetting | None = None):
    """The junior highs this student may list, by name."""
    setting = setting or setting_for(student)
    schools = School.objects.filter(
        district_id=student.district_id, offers_junior=True, active=True, ownership=setting.ownership
    )
    if setting.within_zone:
        schools = schools.filter(service_zones__schools=student.graduating_school_id)
    return schools.distinct().order_by("name", "pk")


def _window(student: Student):
    return student.campaign.window(Stage.JUNIOR_REGISTRATION, student.district)


def is_open(student: Student) -> bool:
    window = _window(student)
    return bool(window and window.contains(timezone.now()))


def check_may_change(student: Student) -> None:
    """The gate of every write: data confirmed, not yet admitted, inside the window."""
    if student.state != StudentState.CONFIRMED or student.school_id:
        raise error_codes.PREFERENCES_NOT_READY.error()
    if not is_open(student):
        raise error_codes.PREFERENCES_CLOSED.error()


def _schools(preference_list: PreferenceList | None) -> list[School]:
    if preference_list is None:
        return []
    return [p.school for p in preference_list.preferences.select_related("school").order_by("rank")]


def lists(student: Student) -> Lists:
    setting = setting_for(student)
    by_kind = {pl.kind: pl for pl in student.preference_lists.all()}
    confirmed = by_kind.get(CONFIRMED)
    window = _window(student)
    return Lists(
        setting=setting,
        allowed=list(allowed_schools(student, setting)),
        draft=_schools(by_kind.get(DRAFT)) if DRAFT in by_kind else _schools(confirmed),
        confirmed=_schools(confirmed),
        confirmed_at=confirmed.confirmed_at if confirmed else None,
        closes_at=window.closes_at if window else None,
        open=is_open(student) and student.state == StudentState.CONFIRMED and not student.school_id,
    )


def clean_codes(student: Student, codes, setting: PreferenceSetting | None = None) -> list[School]:
    """The ranked schools for `codes` (school codes, first choice first), or ValidationError on `schools`."""
    setting = setting or setting_for(student)
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    allowed = {s.code: s for s in allowed_schools(student, setting)}
    repeated = [code for code, n in Counter(codes).items() if n > 1]
    if repeated:
        name = allowed[repeated[0]].name if repeated[0] in allowed else repeated[0]
        raise ValidationError({"schools": [error_codes.PREFERENCES_DUPLICATE.error(school=name)]})
    if len(codes) > setting.max_choices:
        raise ValidationError({"schools": [error_codes.PREFERENCES_TOO_MANY.error(max=setting.max_choices)]})
    for code in codes:
        if code not in allowed:
            known = School.objects.filter(code=code).values_list("name", flat=True).first()
            raise ValidationError({"schools": [error_codes.PREFERENCES_NOT_ALLOWED.error(school=known or code)]})
    return [allowed[code] for code in codes]


def _locked(student: Student) -> Student:
    locked = Student.objects.select_for_update().select_related("campaign", "district").get(pk=student.pk)
    check_may_change(locked)
    return locked


def _write(student: Student, kind: str, schools: list[School], **fields) -> PreferenceList:
    preference_list, _created = PreferenceList.objects.get_or_create(student=student, kind=kind)
    for name, value in fields.items():
        setattr(preference_list, name, value)
    preference_list.save()
    current = [p.school_id for p in preference_list.preferences.order_by("rank")]
    if current != [s.pk for s in schools]:
        preference_list.preferences.all().delete()
        bulk_create_with_history(  # history records the new rows, the delete above the old ones
            [Preference(preference_list=preference_list, rank=i, school=s) for i, s in enumerate(schools, 1)],
            Preference,
        )
    return preference_list


def save_draft(student: Student, codes) -> list[School]:
    """Replace the draft with `codes` in this order."""
    check_may_change(student)
    schools = clean_codes(student, codes)
    with transaction.atomic():
        locked = _locked(student)
        _write(locked, DRAFT, schools)
    return schools


def send_confirmation_code(request, student: Student) -> None:
    """An SMS code to the mobile on file (never a number the requester types) to confirm the list."""
    check_may_change(student)
    if not student.mobile:
        raise error_codes.PREFERENCES_NO_MOBILE.error()
    send_code(request, PURPOSE, student.mobile, student.campaign, bound_to=str(student.pk))


def confirm(student: Student, code: str, method: str) -> list[School]:
    """Confirm the draft: it becomes the list the lottery reads. A wrong code changes nothing."""
    check_may_change(student)
    draft = student.preference_lists.filter(kind=DRAFT).first()
    schools = clean_codes(student, [s.code for s in _schools(draft)])  # the setting may have changed since
    if not schools:
        raise ValidationError({"schools": [error_codes.PREFERENCES_EMPTY.error()]})
    try:
        spent = sms_codes.spend(PURPOSE, student.mobile, code, bound_to=str(student.pk))
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.error_list}) from None
    with spent:
        locked = _locked(student)
        # the draft as it stands under the lock (another tab may have saved one since it was read)
        draft = locked.preference_lists.filter(kind=DRAFT).first()
        schools = clean_codes(locked, [s.code for s in _schools(draft)])
        if not schools:  # the code stays usable: the transaction rolls back (sms_codes.spend)
            raise ValidationError({"schools": [error_codes.PREFERENCES_EMPTY.error()]})
        _write(locked, CONFIRMED, schools, confirmed_at=timezone.now(), confirmation_method=method)
    return schools


def withdraw(student: Student, *, user=None, reason: str = "") -> int:
    """Both lists go, with history (who and why): a private admission withdraws the public preferences
    (R43), and so does a move to another district (R39, services/transfers.py): the lists name the old
    district's schools, which the student can no longer choose. Returns how many lists went."""
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=student.pk).first()
        gone = 0
        for preference_list in student.preference_lists.all():
            preference_list._history_user, preference_list._change_reason = user, reason or None
            preference_list.delete()
            gone += 1
    return gone


def confirmed_codes(student_ids) -> dict[int, list[str]]:
    """student id → the school codes of the confirmed list, first choice first (for the lottery input)."""
    rows = (
        Preference.objects.filter(preference_list__kind=CONFIRMED, preference_list__student_id__in=student_ids)
        .order_by("preference_list__student_id", "rank")
        .values_list("preference_list__student_id", "school__code")
    )
    found: dict[int, list[str]] = {}
    for student_id, code in rows:
        found.setdefault(student_id, []).append(code)
    return found


@dataclass
class DemandRow:
    school: School
    first: int
    all: int


def demand(schools, campaign) -> list[DemandRow]:
    """Per school: confirmed lists naming it first, and naming it at all (live, from the table)."""
    counts = (
        Preference.objects.filter(
            preference_list__kind=CONFIRMED, preference_list__student__campaign=campaign, school__in=schools
        )
        .values("school")
        .annotate(first=Count("pk", filter=Q(rank=1)), all=Count("pk"))
    )
    by_school = {row["school"]: row for row in counts}
    return [
        DemandRow(school, by_school.get(school.pk, {}).get("first", 0), by_school.get(school.pk, {}).get("all", 0))
        for school in schools
    ]
