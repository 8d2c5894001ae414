"""Fairness report of a run (R36): who got a place, by priority class and by the preference obtained.

Numbers come from the stored entries, so the report shows what was drawn, not what was intended.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Row:
    label: str
    participants: int
    assigned: int

    @property
    def unassigned(self) -> int:
        return self.participants - self.assigned

    @property
    def percent(self) -> int:
        return round(100 * self.assigned / self.participants) if self.participants else 0


def by_priority(run) -> list[Row]:
    tiers = (run.input_document or {}).get("priorities", {}).get("default", [])
    counts = (
        run.entries.values("priority_class")
        .annotate(total=Count("pk"), placed=Count("pk", filter=Q(school__isnull=False)))
        .order_by("priority_class")
    )
    rows = []
    for row in counts:
        cls = row["priority_class"]
        label = _("Priority tier %(n)d") % {"n": cls + 1} if cls < len(tiers) else _("No priority category")
        rows.append(Row(label, row["total"], row["placed"]))
    return rows


def by_preference(run) -> list[Row]:
    """Share of all participants placed at their 1st, 2nd… choice (zone runs: one row, any school)."""
    total = run.entries.count()
    if run.mode == run.Mode.ZONE:
        placed = run.entries.filter(school__isnull=False).count()
        return [Row(_("A school of the zone"), total, placed), Row(_("Unassigned"), total, total - placed)]
    counts = dict(
        run.entries.filter(school__isnull=False)
        .values_list("preference_rank")
        .annotate(n=Count("pk"))
        .order_by("preference_rank")
    )
    rows = [Row(_("Choice %(n)d") % {"n": rank}, total, n) for rank, n in sorted(counts.items())]
    rows.append(Row(_("Unassigned"), total, total - sum(counts.values())))
    return rows


def by_school(run) -> list[dict]:
    outcome = {s["id"]: s for s in (run.output_document or {}).get("schools", [])}
    from apps.bj_enrollment.models import School

    names = dict(School.objects.filter(code__in=outcome).values_list("code", "name"))
    return [{"name": names.get(code, code), **outcome[code]} for code in sorted(outcome)]
