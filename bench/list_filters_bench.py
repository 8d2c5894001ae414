"""The reviewers' list page with Unfold's filter panel against the desk's: Unfold's panel template (its
buttons rendered on every page), form classes and filter templates against the panel written out in
Python, its buttons kept per shape (apps/lowcode/templatetags/desk_filters.py, apps/lowcode/filter_widgets.py).

One process, the two switched in turn (interleaved, so a shared machine's noise falls on both), CPU time
per request of Django's test client, and of the panel's part in it: the filter panel's template and the
view's cl.get_filters (the filters' choices, their queries); the page is checked to be the same bytes
both ways (but for the CSRF token) before timing:

    BJ_SITE=local BJ_HTTPS=false .venv/bin/python bench/list_filters_bench.py [--rounds 250] [--user city_admin]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from harness import out

PANEL = "unfold/helpers/change_list_filter.html"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=250)
    parser.add_argument("--user", default="district_reviewer")
    args = parser.parse_args()

    import django

    django.setup()
    from pathlib import Path

    import unfold
    from django.contrib.admin.views.main import ChangeList
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template import base, engines
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from unfold.contrib.filters.admin import DropdownFilter as UnfoldDropdownFilter
    from unfold.contrib.filters.forms import DropdownForm, RangeDateTimeForm

    from apps.bj_enrollment.desk.base import ScopedRelatedFilter
    from apps.bj_enrollment.models import District
    from apps.lowcode import filter_widgets

    district = District.objects.get(name="东城区")
    url = (reverse("admin:bj_enrollment_application_changelist")
           + f"?district__id__exact={district.pk}&state__exact=pre_admitted")
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=args.user))

    engine = engines["django"].engine
    loader = engine.template_loaders[0]  # the cached loader: the page's include finds the templates here
    unfolds = Path(unfold.__file__).parent / "templates"
    templates = {name: {True: loader.get_template(name), False: engine.from_string((unfolds / name).read_text())}
                 for name in (PANEL,)}

    def use(ours: bool) -> None:
        for name, both in templates.items():
            loader.get_template_cache[name] = both[ours]
        dropdown = filter_widgets.Dropdown if ours else DropdownForm
        filter_widgets.DropdownFilter.form_class = ScopedRelatedFilter.form_class = dropdown
        template = filter_widgets.DROPDOWN_TEMPLATE if ours else UnfoldDropdownFilter.template
        filter_widgets.DropdownFilter.template = ScopedRelatedFilter.template = template
        filter_widgets.RangeDateTimeFilter.form_class = filter_widgets.RangeDateTime if ours else RangeDateTimeForm

    spent = {"panel": 0.0, "filters": 0.0}  # this request's CPU in the panel's template and in get_filters

    def timed(key, function):
        def wrapper(*arguments):
            started = time.thread_time()
            try:
                return function(*arguments)
            finally:
                spent[key] += time.thread_time() - started
        return wrapper

    get_filters, render = ChangeList.get_filters, base.Template.render
    ChangeList.get_filters = timed("filters", get_filters)
    panel_render = timed("panel", render)
    base.Template.render = lambda self, context: (panel_render if self is loader.get_template_cache[PANEL]
                                                  else render)(self, context)

    pages, queries = {}, {}
    for ours in (False, True):
        use(ours)
        client.get(url)  # the per-process and per-site caches filled
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        pages[ours], queries[ours] = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content), \
            len(captured)
    if pages[False] != pages[True]:
        raise SystemExit("the page differs between Unfold's filter panel and the desk's")
    samples: dict[bool, dict[str, list[float]]] = {ours: {"page": [], "panel": []} for ours in (False, True)}
    for i in range(args.rounds):
        for ours in (i % 2 == 0, i % 2 == 1):
            use(ours)
            spent.update(panel=0.0, filters=0.0)
            started = time.thread_time()
            client.get(url)
            samples[ours]["page"].append(time.thread_time() - started)
            samples[ours]["panel"].append(spent["panel"] + spent["filters"])
    for part, label in (("page", "list page"), ("panel", "filter panel (template and get_filters)")):
        before, after = (statistics.median(samples[ours][part]) * 1e3 for ours in (False, True))
        out(f"{label} as {args.user}, CPU per request (medians of {args.rounds}): Unfold's {before:.2f} ms, "
            f"the desk's {after:.2f} ms ({before / after:.2f}x)")
    out(f"queries per page: Unfold's panel {queries[False]}, the desk's {queries[True]}")


if __name__ == "__main__":
    main()
