"""Public disclosure pages (R28): city → district → school, and a printable PDF per school.

A district that has not released (or has withdrawn) answers 404, the same as an unknown one.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from apps.bj_enrollment.models import Campaign, District, School, SchoolPlan
from apps.bj_enrollment.reports import disclosure
from apps.lowcode.printing.service import html_to_pdf

RATE = "120/m"


def _campaign():
    campaign = Campaign.current()
    if campaign is None:
        raise Http404
    return campaign


def _released(campaign, district):
    if disclosure.live_release(campaign, district) is None:
        raise Http404
    return district


@ratelimit(key="ip", rate=RATE, block=True)
def index(request):
    campaign = _campaign()
    districts = District.objects.filter(pk__in=disclosure.released_district_ids(campaign))
    return render(request, "disclosure/index.html", {"campaign": campaign, "districts": districts})


@ratelimit(key="ip", rate=RATE, block=True)
def district_page(request, code):
    campaign = _campaign()
    district = _released(campaign, get_object_or_404(District, code=code))
    lines = disclosure.school_lines(campaign, district)
    return render(request, "disclosure/district.html", {"campaign": campaign, "district": district, "lines": lines})


def _school_context(code):
    campaign = _campaign()
    school = get_object_or_404(School.objects.select_related("district"), code=code)
    _released(campaign, school.district)
    plan = SchoolPlan.objects.filter(campaign=campaign, school=school).values_list("seats", flat=True).first()
    admitted = disclosure.admitted_list(campaign, school)
    return {"campaign": campaign, "school": school, "seats": plan, "admitted": admitted}


@ratelimit(key="ip", rate=RATE, block=True)
def school_page(request, code):
    return render(request, "disclosure/school.html", _school_context(code))


@ratelimit(key="ip", rate="20/m", block=True)
def school_pdf(request, code):
    context = _school_context(code)
    pdf = html_to_pdf(render_to_string("disclosure/school_pdf.html", context))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _("disclosure") + f"-{context['school'].code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
