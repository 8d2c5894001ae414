"""The lottery input (docs/lottery.md §3) built from the campaign's applications, plans and categories.

- Participants: the district's applications of the campaign that are ready to print and have no school
  yet; in a zone run, those whose residence address the zone look-up places in the run's zone. A
  participant's id is an HMAC of the child's ID number under the campaign's secret key (docs §2): it
  says nothing about the child, cannot be enumerated from ID numbers, and stays the same if the family
  cancels and registers again. The family learns its id from the platform.
- Preferences: zone mode has none (equal preference). Preference mode takes the school codes the
  family ranked (`Application.custom["preferences"]`), else the zone's schools in name order.
- Schools: the zone's schools (or, without a zone, the district's schools with a plan), identified by
  their 10-digit code, with the seats their plan still has free.
- Priorities (R5): one tier holding every active priority category; a child whose claim to one of
  them the district verified goes first at every school (a claim pending or refused counts for
  nothing). Categories are configuration, so the tier is part of the frozen input.
- Groups: twins and multiples the district bound (lottery/multiple_births.py) whose members are
  participants; with at least one, the input is bj-lottery-2 (docs/lottery.md §14).
"""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import CategoryKind
from apps.bj_enrollment.lottery import engine, multiple_births
from apps.bj_enrollment.rules.capacity import taking_a_seat
from apps.lowcode.workflow import states


def build_input(run) -> tuple[dict, dict[str, int]]:
    """(input document, form number → application id). Raises engine.LotteryInputError with a reason."""
    from apps.bj_enrollment.models import Application, Category, CategoryClaim, School, SchoolPlan

    if run.campaign.level == "junior":  # students and their confirmed preferences (R41)
        from apps.bj_enrollment.lottery import student_inputs

        return student_inputs.build_input(run)
    if run.zone_id:
        schools = list(run.zone.schools.filter(active=True).order_by("name"))
    else:
        planned = SchoolPlan.objects.filter(campaign=run.campaign, school__district=run.district)
        schools = list(School.objects.filter(pk__in=planned.values("school"), active=True).order_by("name"))
    plans = planned_seats(run.campaign, schools)
    taken = dict(
        Application.objects.filter(campaign=run.campaign, school__in=schools)
        .values("school")
        .annotate(n=Count("pk", filter=Q(state__in=taking_a_seat())))
        .values_list("school", "n")
    )
    codes = {s.pk: s.code for s in schools}
    known = set(codes.values())

    candidates = (
        Application.objects.filter(
            campaign=run.campaign,
            district=run.district,
            state__in=states.sources(Application, actions.ASSIGN_BY_LOTTERY),
            school__isnull=True,
        )
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "category_claims",
                CategoryClaim.objects.filter(status=CategoryClaim.Status.VERIFIED).select_related("category"),
                to_attr="verified_claims",
            )
        )
    )
    in_zone = _zone_filter(run)
    priority = sorted(Category.objects.filter(kind=CategoryKind.PRIORITY, active=True).values_list("code", flat=True))
    participants, ids, numbers = [], {}, {}
    for app in candidates.order_by("form_number").iterator(chunk_size=2000):
        if in_zone is not None and not in_zone(app):
            continue
        preferences = []
        if run.mode == run.Mode.PREFERENCE:
            wanted = app.custom.get("preferences") if isinstance(app.custom, dict) else None
            ranked = [str(code) for code in wanted] if isinstance(wanted, list) else [s.code for s in schools]
            preferences = list(dict.fromkeys(code for code in ranked if code in known))
        categories = sorted({c.category.code for c in app.verified_claims if c.category.code in priority})
        pid = participant_id(run.campaign, app.child)
        if pid in ids:
            message = _("Two applications of one child: %(number)s.") % {"number": app.form_number}
            raise engine.LotteryInputError(message)
        participants.append({"id": pid, "preferences": preferences, "categories": categories})
        ids[pid], numbers[pid] = app.pk, app.form_number
    groups = multiple_births.groups_of(run, ids)
    multiple_births.check_same_preferences(groups, participants, numbers)
    document = {
        "label": run.title[: engine.LABEL_MAX],
        "mode": run.mode,
        "schools": [{"id": codes[s.pk], "seats": max(plans[s.pk] - taken.get(s.pk, 0), 0)} for s in schools],
        "participants": participants,
        "priorities": {"default": [priority]} if priority else {},
    }
    if groups:
        document["groups"] = groups
    return engine.normalise_input(document), ids


def planned_seats(campaign, schools) -> dict[int, int]:
    """{school id: seats} of the campaign's plans for the draw's schools (primary or junior high);
    refuses a draw without schools or with a school that has no plan."""
    from apps.bj_enrollment.models import SchoolPlan

    if not schools:
        raise engine.LotteryInputError(_("The lottery has no schools: give the zone schools or the schools plans."))
    plans = dict(SchoolPlan.objects.filter(campaign=campaign, school__in=schools).values_list("school", "seats"))
    unplanned = [s.name for s in schools if s.pk not in plans]
    if unplanned:
        raise engine.LotteryInputError(_("No plan for: %(schools)s.") % {"schools": "、".join(unplanned)})
    return plans


def participant_id(campaign, child) -> str:
    """The child's id in every draw of the campaign (docs/lottery.md §2)."""
    identity = f"{child.id_type}:{child.id_number}".encode()
    return "P" + hmac.new(campaign.lottery_key.encode(), identity, hashlib.sha256).hexdigest()[:24]


def applications_by_participant(run, participant_ids) -> dict[str, int]:
    """participant id → the live application of that child in the run's campaign and district."""
    from apps.bj_enrollment.models import Application

    wanted = set(participant_ids)
    live = Application.objects.filter(campaign=run.campaign, district=run.district, live_child__isnull=False)
    found = {}
    for app in live.select_related("child").only("pk", "child__id_type", "child__id_number").iterator(2000):
        pid = participant_id(run.campaign, app.child)
        if pid in wanted:
            found[pid] = app.pk
    return found


def _zone_filter(run):
    """Whether an application's residence address lies in the run's zone, by the public look-up's index."""
    if not run.zone_id:
        return None
    from apps.bj_enrollment.zones import index as zone_index

    index = zone_index.current()

    def in_zone(app) -> bool:
        if not app.residence_address:
            return False
        address = index.parse(app.residence_address)
        return any(match.rule.zone_id == run.zone_id for match in index.match(address))

    return in_zone
