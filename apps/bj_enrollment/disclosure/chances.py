"""The public high-school chances page (R42, /chances/): for each ordinary public junior high, the share
of its graduates who entered quality high schools, year by year, searchable by district and name, each
school with a bar chart drawn on the server as SVG (no script, nothing inline for the CSP to refuse)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from apps.bj_enrollment.models import District, HighSchoolEntry, School

PER_PAGE = 20
YEARS_SHOWN = 5  # the latest years with figures (the city imports at least three)
BAR_WIDTH, BAR_GAP, CHART_HEIGHT, LABEL = 36, 14, 100, 18


@dataclass
class Bar:
    year: int
    share: float | None  # None: no figure for that year
    x: int = 0
    y: int = 0
    height: int = 0

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{self.share:.1%}"

    @property
    def label_x(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass
class SchoolChances:
    school: School
    bars: list[Bar]
    width: int
    height: int = CHART_HEIGHT + 2 * LABEL
    baseline: int = CHART_HEIGHT + LABEL
    year_y: int = CHART_HEIGHT + 2 * LABEL - 4


def _chart(school: School, shares: dict[int, float], years: list[int]) -> SchoolChances:
    bars = []
    for i, year in enumerate(years):
        bar = Bar(year, shares.get(year), x=BAR_GAP + i * (BAR_WIDTH + BAR_GAP))
        bar.height = round((bar.share or 0) * CHART_HEIGHT)
        bar.y = LABEL + CHART_HEIGHT - bar.height
        bars.append(bar)
    return SchoolChances(school, bars, width=BAR_GAP + len(years) * (BAR_WIDTH + BAR_GAP))


def public_junior_highs():
    """The schools the page is about: ordinary public junior highs with figures."""
    return School.objects.filter(offers_junior=True, ownership="public", high_school_entries__isnull=False).distinct()


@ratelimit(key="ip", rate="120/m", block=True)
def chances_page(request):
    district_code = (request.GET.get("district") or "").strip()[:16]
    name = (request.GET.get("q") or "").strip()[:50]
    schools = public_junior_highs().select_related("district").order_by("district__code", "name")
    if district_code:
        schools = schools.filter(district__code=district_code)
    if name:
        schools = schools.filter(name__icontains=name)
    latest = (HighSchoolEntry.objects.filter(school__in=public_junior_highs()).order_by("-year")
              .values_list("year", flat=True).distinct()[:YEARS_SHOWN])
    years = sorted(latest)
    page = Paginator(schools, PER_PAGE).get_page(request.GET.get("page"))
    shares: dict[int, dict[int, float]] = {}
    for entry in HighSchoolEntry.objects.filter(school__in=list(page.object_list), year__in=years):
        shares.setdefault(entry.school_id, {})[entry.year] = entry.share
    charts = [_chart(school, shares.get(school.pk, {}), years) for school in page.object_list]
    districts = District.objects.filter(pk__in=public_junior_highs().values("district_id")).order_by("code")
    query = urlencode([(k, v) for k, v in (("district", district_code), ("q", name)) if v])
    return render(request, "disclosure/chances.html", {
        "charts": charts, "page": page, "years": years, "districts": districts,
        "district_code": district_code, "name": name, "query": query,
    })
