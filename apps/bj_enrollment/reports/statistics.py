"""R27: application counts by district, school, state, hukou category and day, for one campaign,
within the user's scope (the same `restrict` as every desk list). Grouped counts on indexed columns;
nothing is loaded row by row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDate

from apps.bj_enrollment.choices import ApplicationState, HukouCategory
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.scope import restrict


@dataclass
class Row:
    key: object
    label: str
    count: int
    filters: dict = field(default_factory=dict)


@dataclass
class Statistics:
    total: int
    by_district: list[Row]
    by_school: list[Row]
    by_state: list[Row]
    by_hukou: list[Row]
    by_day: list[Row]
    # district label → {state: count}: the table reviewers read most
    district_states: list[tuple[Row, dict[str, int]]]

    @property
    def states(self) -> list[tuple[str, str]]:
        return list(ApplicationState.choices)


def compute(user, campaign) -> Statistics:
    qs = restrict(Application.objects.filter(campaign=campaign), user)
    states = dict(ApplicationState.choices)
    hukou = dict(HukouCategory.choices)

    def rows(values: str, label: str, filter_name: str, order: str) -> list[Row]:
        data = qs.values(values, label).annotate(n=Count("pk")).order_by(order)
        return [Row(r[values], r[label] or "—", r["n"], {filter_name: r[values]} if r[values] else {}) for r in data]

    by_district = rows("district_id", "district__name", "district__id__exact", "district__sort_order")
    by_school = rows("school_id", "school__name", "school__id__exact", "-n")
    by_state = [
        Row(r["state"], str(states.get(r["state"], r["state"])), r["n"], {"state__exact": r["state"]})
        for r in qs.values("state").annotate(n=Count("pk")).order_by("state")
    ]
    by_hukou = [
        Row(
            r["hukou_category"],
            str(hukou.get(r["hukou_category"], "")),
            r["n"],
            {"hukou_category__exact": r["hukou_category"]},
        )
        for r in qs.values("hukou_category").annotate(n=Count("pk")).order_by("hukou_category")
    ]
    by_day = [
        Row(r["day"], r["day"].isoformat(), r["n"], _day_filter(r["day"]))
        for r in qs.annotate(day=TruncDate("registered_at")).values("day").annotate(n=Count("pk")).order_by("day")
        if r["day"]
    ]
    cross: dict[int, dict[str, int]] = {}
    for r in qs.values("district_id", "state").annotate(n=Count("pk")):
        cross.setdefault(r["district_id"], {})[r["state"]] = r["n"]
    return Statistics(
        total=sum(r.count for r in by_district),
        by_district=by_district,
        by_school=by_school,
        by_state=by_state,
        by_hukou=by_hukou,
        by_day=by_day,
        district_states=[(row, cross.get(row.key, {})) for row in by_district],
    )


def _day_filter(day) -> dict:
    """The desk list's registration-time range filter, over one whole day."""
    iso = day.isoformat()
    return {
        "registered_at_from_0": iso,
        "registered_at_from_1": "00:00",
        "registered_at_to_0": iso,
        "registered_at_to_1": "23:59",
    }
