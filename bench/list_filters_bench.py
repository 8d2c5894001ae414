"""The reviewers' list page with Unfold's filter widgets and panel buttons against the desk's
(apps/lowcode/filter_widgets.py, templates/unfold/helpers/change_list_filter_actions.html).

One process, the two implementations switched in turn (interleaved, so a shared machine's noise
falls on both), thread CPU time per request of Django's test client; the page is checked to be the
same bytes both ways (but for the CSRF token) before timing:

    BJ_SITE=local BJ_HTTPS=false .venv/bin/python bench/list_filters_bench.py [--rounds 250] [--user city_admin]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from harness import out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=250)
    parser.add_argument("--user", default="district_reviewer")
    args = parser.parse_args()

    import django

    django.setup()
    from pathlib import Path

    import unfold
    from django.contrib.auth import get_user_model
    from django.template import engines
    from django.test import Client
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

    actions = "unfold/helpers/change_list_filter_actions.html"
    engine = engines["django"].engine
    loader = engine.template_loaders[0]  # the cached loader: the panel's include finds the template here
    templates = {True: loader.get_template(actions),
                 False: engine.from_string((Path(unfold.__file__).parent / "templates" / actions).read_text())}

    def use(ours: bool) -> None:
        loader.get_template_cache[actions] = templates[ours]
        dropdown = filter_widgets.DropdownForm if ours else DropdownForm
        filter_widgets.DropdownFilter.form_class = ScopedRelatedFilter.form_class = dropdown
        template = filter_widgets.DROPDOWN_TEMPLATE if ours else UnfoldDropdownFilter.template
        filter_widgets.DropdownFilter.template = ScopedRelatedFilter.template = template
        filter_widgets.RangeDateTimeFilter.form_class = filter_widgets.RangeDateTimeForm if ours else RangeDateTimeForm

    pages = {}
    for ours in (False, True):
        use(ours)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        pages[ours] = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    if pages[False] != pages[True]:
        raise SystemExit("the page differs between Unfold's filter panel and the desk's")
    samples: dict[bool, list[float]] = {False: [], True: []}
    for i in range(args.rounds):
        for ours in (i % 2 == 0, i % 2 == 1):
            use(ours)
            started = time.thread_time()
            client.get(url)
            samples[ours].append(time.thread_time() - started)
    before, after = (statistics.median(samples[ours]) * 1e3 for ours in (False, True))
    out(f"list page as {args.user}, CPU per request (medians of {args.rounds}): "
        f"Unfold's filter panel {before:.2f} ms, the desk's {after:.2f} ms ({(before - after) / before:.1%} less)")


if __name__ == "__main__":
    main()
