"""The desk page's frame (skeleton, sidebar, header, user menu, actions bar) with Unfold's own
templates against the desk's copies (templates/unfold/, templates/admin/base.html, kept fragments in
apps/bj_enrollment/templatetags/desk_frame.py).

One process, the two switched in turn through the cached template loader (interleaved, so a shared
machine's noise falls on both), thread CPU time per request of Django's test client. Each page is
first checked to be the same bytes both ways (but for the CSRF token). The frame is the page's
rendering without the table and the filter panel (other work), plus the admin site's each_context:

    BJ_SITE=local BJ_HTTPS=false .venv/bin/python bench/desk_frame_bench.py [--rounds 200] [--user city_admin]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from harness import ROOT, out

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--user", default="district_reviewer")
    args = parser.parse_args()

    import django

    django.setup()
    import unfold
    from django.contrib.auth import get_user_model
    from django.template import base, engines
    from django.template.library import InclusionNode
    from django.template.response import SimpleTemplateResponse
    from django.test import Client
    from django.urls import reverse

    from apps.bj_enrollment.desk.site import DeskSite
    from apps.bj_enrollment.models import Application
    from apps.bj_enrollment.scope import scope_of

    user = get_user_model().objects.get(username=args.user)
    scope = scope_of(user)
    lists = reverse("admin:bj_enrollment_application_changelist")
    applications = Application.objects.filter(**({"district_id": scope.district_id} if scope.district_id else {}))
    urls = {
        "reviewer's list": lists + (f"?district__id__exact={scope.district_id}" if scope.district_id else "?")
        + "&state__exact=pre_admitted",
        "index": reverse("admin:index"),
        "change page": reverse("admin:bj_enrollment_application_change", args=[applications.order_by("pk")[0].pk]),
    }
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    ours_dir, theirs_dir = ROOT / "templates", Path(unfold.__file__).parent / "templates"
    names = [str(path.relative_to(ours_dir))
             for path in [*(ours_dir / "unfold").rglob("*.html"), *(ours_dir / "admin").glob("base*.html")]
             if (theirs_dir / path.relative_to(ours_dir)).exists() and "filter" not in str(path)]
    loader = engines["django"].engine.template_loaders[0]
    templates = {name: {True: loader.get_template(name)} for name in names}
    for name, both in templates.items():
        both[False] = loader.get_template(name, skip=[both[True].origin])

    def use(ours: bool) -> None:
        for name, both in templates.items():
            loader.get_template_cache[name] = both[ours]

    spent = {"context": 0.0, "render": 0.0, "other": 0.0}
    nested = [0]

    def timed(cls, method: str, slot: str, applies=lambda self, *a: True) -> None:
        original = getattr(cls, method)

        def wrapper(self, *a):
            if not applies(self, *a) or (slot == "other" and nested[0]):
                return original(self, *a)
            started, nested[0] = time.thread_time(), nested[0] + (slot == "other")
            try:
                return original(self, *a)
            finally:
                nested[0] -= slot == "other"
                spent[slot] += time.thread_time() - started

        setattr(cls, method, wrapper)

    timed(DeskSite, "each_context", "context")
    timed(SimpleTemplateResponse, "render", "render")
    timed(base.Template, "_render", "other",
          lambda self, context: self.origin.template_name == "unfold/helpers/change_list_filter.html")
    timed(InclusionNode, "render", "other",
          lambda self, context: getattr(self, "template_name", None) == "change_list_results.html")

    for page, url in urls.items():
        seen = {}
        for ours in (False, True):
            use(ours)
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            seen[ours] = TOKEN.sub(b"", response.content)
        if seen[False] != seen[True]:
            raise SystemExit(f"{page}: the page differs between Unfold's templates and the desk's")
        cpu: dict[bool, list[float]] = {False: [], True: []}
        frame: dict[bool, list[float]] = {False: [], True: []}
        for i in range(args.rounds):
            for ours in (i % 2 == 0, i % 2 == 1):
                use(ours)
                for slot in spent:
                    spent[slot] = 0.0
                started = time.thread_time()
                client.get(url)
                cpu[ours].append(time.thread_time() - started)
                frame[ours].append(spent["render"] - spent["other"] + spent["context"])
        medians = {what: [statistics.median(samples[ours]) * 1e3 for ours in (False, True)]
                   for what, samples in (("page", cpu), ("frame", frame))}
        out(f"{page} as {args.user}, CPU per request (medians of {args.rounds}, Unfold's -> the desk's): "
            + ", ".join(f"{what} {before:.2f} -> {after:.2f} ms ({after / before:.2f}x)"
                        for what, (before, after) in medians.items()))
    use(True)


if __name__ == "__main__":
    main()
