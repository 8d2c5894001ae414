"""The reviewers' filter panel (issue #17): its filters render in Python where Unfold's render through
templates (apps/lowcode/filter_widgets.py), its buttons are written out where Unfold renders components
(templates/unfold/helpers/change_list_filter_actions.html), and every user sees the very bytes Unfold's
own classes and templates make."""

from pathlib import Path

import pytest
import unfold
from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db


def unfolds_own(spec):
    """The spec with the form class and template of the nearest Unfold class it derives from, if any."""
    unfold_class = next((cls for cls in type(spec).__mro__ if cls.__module__.startswith("unfold.")), None)
    if unfold_class is not None:
        spec.form_class = getattr(unfold_class, "form_class", None)
        spec.template = unfold_class.template
    return spec


ACTIONS = "unfold/helpers/change_list_filter_actions.html"


def panel(client, user, params):
    """The page, and each filter and the panel's buttons as the desk renders them and as Unfold does."""
    client.force_login(user)
    response = client.get(reverse("admin:bj_enrollment_application_changelist"), params)
    assert response.status_code == 200
    cl, request = response.context["cl"], response.wsgi_request
    unfold_actions = engines["django"].from_string((Path(unfold.__file__).parent / "templates" / ACTIONS).read_text())
    our_buttons = render_to_string(ACTIONS, {"cl": cl}, request)
    assert our_buttons == unfold_actions.render({"cl": cl}, request) and our_buttons in response.content.decode()
    ours = [admin_list_filter(cl, spec) for spec in cl.filter_specs]
    theirs = [admin_list_filter(cl, unfolds_own(spec)) for spec in cl.filter_specs]
    return response.content.decode(), ours, theirs


CASES = {
    "district reviewer, district, state and a custom field": (
        "east_reviewer", lambda city: {"district__id__exact": city.east.pk,
                                       "state__exact": ApplicationState.PRE_ADMITTED, "cf_mode": '住宿 <b>&"'}),
    "school reviewer, school and registration date": (
        "east_school_reviewer", lambda city: {"school__id__exact": city.east_school.pk,
                                              "registered_at_from_0": "2026-01-01", "registered_at_to_1": "12:00"}),
    "city administrator, another district, hukou category, with counts": (
        "city_admin", lambda city: {"district__id__exact": city.west.pk, "hukou_category__exact": "local",
                                    "_facets": "True"}),
    "district reviewer, a school out of scope (the select shows its error)": (
        "east_reviewer", lambda city: {"school__id__exact": city.west_school.pk}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_panel_is_the_html_unfolds_classes_make(client, city, case):
    define("mode", "select", label_zh="就读 <方式>", options='走读\n住宿 <b>&"', show_in_list_filter=True)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"mode": '住宿 <b>&"'})
    who, params = CASES[case]
    html, ours, theirs = panel(client, getattr(city, who), params(city))
    assert ours == theirs
    assert 'name="cf_mode"' in ours[-1] and 'name="registered_at_from_0"' in ours[-2]
    for rendered in ours:
        assert rendered in html
    selects, shown = (sum(part.count(text) for part in ours) for text in ("<select ", " selected>"))
    assert shown == selects - ("out of scope" in case)  # each dropdown shows its value, or "All"
    assert ("Select a valid choice" in html or "选择一个有效的选项" in html) == ("out of scope" in case)


def test_the_dropdowns_offer_only_the_users_scope(client, city):
    _html, ours, _theirs = panel(client, city.east_reviewer, {})
    school_select = next(part for part in ours if 'name="school__id__exact"' in part)
    assert city.east_school.name in school_select and city.west_school.name not in school_select
