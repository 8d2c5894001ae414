"""The public lottery page (电脑派位公示, docs/lottery.md §2): no log-in, no names, no ID numbers.

Before a draw: each district's input and seed commitments with the time they were published. After:
the four files, the result hash, the verifier to download and how to run it. A family types the number
and the verification code printed on its paper (a primary registration form, a junior-high confirmation
sheet) to see its number, rank, result and the cutoff of each school it listed, nothing of any other
child; the look-up is rate limited per address and per number (portal limits).
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from apps.bj_enrollment.choices import Level
from apps.bj_enrollment.disclosure.views import RATE, _campaign
from apps.bj_enrollment.lottery import publication
from apps.bj_enrollment.models import Campaign
from apps.bj_enrollment.portal import limits

VERIFIER = Path(settings.BASE_DIR) / "tools" / "verify_lottery.py"
CONTENT_TYPES = {".json": "application/json", ".txt": "text/plain; charset=us-ascii"}


class LookupForm(forms.Form):
    form_number = forms.CharField(label=_("Form number"), max_length=8, min_length=8)
    verification_code = forms.CharField(label=_("Verification code"), max_length=6)


def _runs(campaign):
    """The primary campaign's draws, then the junior-high campaign's (the city-wide day R41, districts'
    and private schools' draws R43), so the whole city's published files are on one page."""
    campaigns = [campaign, Campaign.current(Level.JUNIOR)]
    return [{"run": run, "drawn": publication.is_drawn(run)}
            for c in campaigns if c is not None for run in publication.public_runs(c)]


@ratelimit(key="ip", rate=RATE, block=True)
def lottery_page(request):
    campaign = _campaign()
    context = {"campaign": campaign, "runs": _runs(campaign), "form": LookupForm()}
    return render(request, "disclosure/lottery.html", context)


@require_http_methods(["POST"])
def lottery_lookup(request):
    """POST only, so form numbers and codes stay out of addresses and logs."""
    campaign = _campaign()
    form = LookupForm(request.POST)
    result = None
    if form.is_valid():
        number = form.cleaned_data["form_number"]
        try:
            limits.hit(request, "lottery_lookup_per_ip", limits.client_ip(request))
            _refuse_when_guessed(request, number)
            participant = publication.find_participant(number, form.cleaned_data["verification_code"])
            if participant is None:
                limits.hit(request, "lottery_lookup_failures", number)
                form.add_error(None, _("The form number or the verification code is wrong."))
            else:
                result = publication.family_result(participant)
                if result is None:
                    form.add_error(None, _("This application is in no lottery yet."))
        except limits.RateLimited as exc:
            form.add_error(None, exc)
    context = {"campaign": campaign, "form": form, "result": result}
    return render(request, "disclosure/lottery_result.html", context, status=200 if result else 400)


def _refuse_when_guessed(request, number: str) -> None:
    """After too many wrong codes for one form number, even the right one waits (codes cannot be tried out)."""
    info = limits.usage(request, "lottery_lookup_failures", number, increment=False)
    if info and info["count"] >= info["limit"]:
        limits.hit(request, "lottery_lookup_failures", number)  # over the limit: raises RateLimited


@ratelimit(key="ip", rate=RATE, block=True)
def lottery_file(request, run_id, name):
    run = publication.public_run(run_id)
    files = publication.files(run) if run is not None else {}
    if name not in files:
        raise Http404
    response = HttpResponse(files[name], content_type=CONTENT_TYPES[Path(name).suffix])
    response["Content-Disposition"] = f'attachment; filename="lottery-{run.pk}-{name}"'
    return response


@ratelimit(key="ip", rate=RATE, block=True)
def verifier(request):
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_lottery.py"'
    return response
