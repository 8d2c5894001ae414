"""The lottery input of a junior-high campaign (小升初, R41): students and their confirmed preferences.

Built like inputs.build_input for applications (docs/lottery.md §3), with students as participants:
- Participants: the district's students of the campaign the Student workflow lets the lottery place
  (the sources of ASSIGN_BY_LOTTERY) and that have no school yet; ids are the same HMAC of the ID
  number under the campaign's key (docs §2).
- Preferences: in preference mode, the school codes of the student's confirmed list
  (services/preferences.confirmed_codes) read now, at commit: the run keeps this document, so a
  change the family confirms later never alters the committed input. A student without a confirmed
  list takes the schools in name order, as an application without preferences does.
- Groups: twins and multiples the district bound (lottery/multiple_births.py, by education ID) are
  drawn as one unit (bj-lottery-2), as in the primary input.
- Schools: the run's zone's junior highs, else the district's junior highs with a plan; seats are
  the plan less the students already admitted there.
- The city-wide lottery day (a run without a district): every district's students and junior highs in
  one document drawn with one seed, each district its own market: a student lists only schools of
  its own district, so the districts' draws never meet (docs/lottery.md: the random number depends on
  the seed and the participant only).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.lottery import engine, multiple_births
from apps.bj_enrollment.lottery.inputs import participant_id, planned_seats
from apps.lowcode.workflow import states


def build_input(run) -> tuple[dict, dict[str, int]]:
    """(input document, participant id → student id). Raises engine.LotteryInputError with a reason."""
    if run.mode == run.Mode.PRIVATE:  # a private school's applicants (公民同招, R43)
        from apps.bj_enrollment.lottery import private_lottery

        return private_lottery.build_input(run)
    from apps.bj_enrollment.choices import StudentState
    from apps.bj_enrollment.models import School, SchoolPlan, Student
    from apps.bj_enrollment.services import preferences

    if run.zone_id:
        schools = list(run.zone.schools.filter(active=True, offers_junior=True).order_by("name"))
    else:
        planned = SchoolPlan.objects.filter(campaign=run.campaign)
        if run.district_id is not None:
            planned = planned.filter(school__district=run.district)
        schools = list(
            School.objects.filter(pk__in=planned.values("school"), active=True, offers_junior=True).order_by("name")
        )
    plans = planned_seats(run.campaign, schools)
    taken = dict(
        Student.objects.filter(campaign=run.campaign, school__in=schools)
        .exclude(state=StudentState.WITHDRAWN)
        .values("school")
        .annotate(n=Count("pk"))
        .values_list("school", "n")
    )
    market: dict[int, list[str]] = {}  # district → its schools' codes, in name order
    for school in schools:
        market.setdefault(school.district_id, []).append(school.code)
    candidates = Student.objects.filter(
        campaign=run.campaign,
        state__in=states.sources(Student, actions.ASSIGN_BY_LOTTERY),
        school__isnull=True,
    )
    if run.district_id is not None:
        candidates = candidates.filter(district=run.district)
    candidates = list(
        candidates.order_by("education_id").only("pk", "id_type", "id_number", "education_id", "district_id")
    )
    confirmed = preferences.confirmed_codes([s.pk for s in candidates]) if run.mode == run.Mode.PREFERENCE else {}
    participants, ids, numbers = [], {}, {}
    for student in candidates:
        ranked = []
        if run.mode == run.Mode.PREFERENCE:
            codes = market.get(student.district_id, [])
            ranked = [c for c in confirmed.get(student.pk, codes) if c in codes]
        pid = participant_id(run.campaign, student)
        if pid in ids:
            message = _("Two students with one ID number: %(number)s.") % {"number": student.education_id}
            raise engine.LotteryInputError(message)
        participants.append({"id": pid, "preferences": ranked, "categories": []})
        ids[pid], numbers[pid] = student.pk, student.education_id
    groups = multiple_births.groups_of(run, ids, field="student")
    multiple_births.check_same_preferences(groups, participants, numbers)
    document = {
        "label": run.title[: engine.LABEL_MAX],
        "mode": run.mode,
        "schools": [{"id": s.code, "seats": max(plans[s.pk] - taken.get(s.pk, 0), 0)} for s in schools],
        "participants": participants,
        "priorities": {},
    }
    if groups:
        document["groups"] = groups
    return engine.normalise_input(document), ids
