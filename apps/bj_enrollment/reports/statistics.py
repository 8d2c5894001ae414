"""R27: application counts by district, school, state, hukou category and day, for one campaign,
within the user's scope (the same `restrict` as every desk list). The figures come from the
counters the database keeps in the same transaction as every change (reports/counters.py): a few
thousand rows, whatever the number of applications."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.bj_enrollment.choices import HukouCategory
from apps.bj_enrollment.models import Application, District, School
from apps.bj_enrollment.reports import counters
from apps.lowcode.workflow import states as workflow_states


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
        from apps.bj_enrollment.models import Application

        return workflow_states.choices(Application)


def compute(user, campaign) -> Statistics:
    states = dict(workflow_states.choices(Application))
    hukou = dict(HukouCategory.choices)
    groups = counters.grouped(user, campaign)  # (district, school, state, hukou, day, count)
    totals: list[dict] = [{}, {}, {}, {}, {}]
    cross: dict[int, dict[str, int]] = {}
    for group in groups:
        n = group[5]
        for position, key in enumerate(group[:5]):
            totals[position][key] = totals[position].get(key, 0) + n
        states_of = cross.setdefault(group[0], {})
        states_of[group[2]] = states_of.get(group[2], 0) + n

    def tally(position: int) -> dict:
        return totals[position]

    districts = {d.pk: d for d in District.objects.filter(pk__in={g[0] for g in groups})}
    schools = dict(School.objects.filter(pk__in={g[1] for g in groups if g[1]}).values_list("pk", "name"))
    by_district = [
        Row(pk, districts[pk].name, n, {"district__id__exact": pk})
        for pk, n in sorted(tally(0).items(), key=lambda item: (districts[item[0]].sort_order, item[0]))
    ]
    by_school = [
        Row(pk, schools.get(pk) or "—", n, {"school__id__exact": pk} if pk else {})
        for pk, n in sorted(tally(1).items(), key=lambda item: (-item[1], item[0] or 0))
    ]
    by_state = [
        Row(state, str(states.get(state, state)), n, {"state__exact": state}) for state, n in sorted(tally(2).items())
    ]
    by_hukou = [
        Row(key, str(hukou.get(key, "")), n, {"hukou_category__exact": key}) for key, n in sorted(tally(3).items())
    ]
    by_day = [Row(day, day.isoformat(), n, _day_filter(day)) for day, n in sorted(tally(4).items()) if day]
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
