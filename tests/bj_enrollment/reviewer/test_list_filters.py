"""The reviewers' filter panel (issue #17): the panel and its filters render in Python where Unfold's
render through templates (apps/lowcode/templatetags/desk_filters.py, apps/lowcode/filter_widgets.py),
its buttons are rendered once per shape and language (Unfold's own template) with each request's links
put in, and every user sees the very bytes Unfold's own classes and templates make."""

from pathlib import Path

import pytest
import unfold
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.contrib.admin.utils import get_fields_from_path
from django.db import connection
from django.template import engines
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.desk.application import ApplicationAdmin
from apps.bj_enrollment.desk.base import ScopedRelatedFilter
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.scope import restrict
from apps.lowcode.templatetags.desk_filters import _actions, _filter
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
PANEL = "unfold/helpers/change_list_filter.html"


def unfolds_template(name):
    return engines["django"].from_string((Path(unfold.__file__).parent / "templates" / name).read_text())


def panel(client, user, params, language="zh-hans"):
    """The page, and each filter as the desk's panel renders it, as its own template does and as Unfold's
    classes and template do; the panel's buttons and the whole panel are compared with Unfold's here."""
    client.force_login(user)
    with translation.override(language):  # English is /en/desk/... (i18n_patterns); rendered in it
        response = client.get(reverse("admin:bj_enrollment_application_changelist"), params)
        assert response.status_code == 200
        cl, request = response.context["cl"], response.wsgi_request
        our_buttons = _actions(cl)  # kept per shape and language, the links put in
        assert our_buttons == unfolds_template(ACTIONS).render({"cl": cl}, request)
        assert our_buttons in response.content.decode()
        our_panel = render_to_string(PANEL, {"cl": cl}, request)
        ours = [_filter(cl, spec) for spec in cl.filter_specs]
        templates = [admin_list_filter(cl, spec) for spec in cl.filter_specs]  # the desk's classes, their templates
        theirs = [admin_list_filter(cl, unfolds_own(spec)) for spec in cl.filter_specs]
        assert ours == templates
        assert our_panel == unfolds_template(PANEL).render({"cl": cl}, request)  # Unfold's classes by now
        assert our_panel in response.content.decode()
        return response.content.decode(), our_panel, ours, theirs


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
    "district reviewer, the panel's form submitted with empty dates and a search kept": (
        "east_reviewer", lambda city: {"state__exact": "", "registered_at_from_0": "", "registered_at_from_1": "",
                                       "registered_at_to_0": "", "registered_at_to_1": "", "o": "-2"}),
    "city administrator, a date that is no date (the range shows its error)": (
        "city_admin", lambda city: {"registered_at_from_0": "2026-13-45", "registered_at_from_1": "12:00"}),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", CASES)
def test_the_panel_is_the_html_unfolds_classes_make(client, city, case, language):
    define("mode", "select", label_zh="就读 <方式>", options='走读\n住宿 <b>&"', show_in_list_filter=True)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"mode": '住宿 <b>&"'})
    who, params = CASES[case]
    html, _panel, ours, theirs = panel(client, getattr(city, who), params(city), language)
    assert ours == theirs
    assert ("Date from" in html) == (language == "en")
    assert 'name="cf_mode"' in ours[-1] and 'name="registered_at_from_0"' in ours[-2]
    for rendered in ours:
        assert rendered in html
    selects, shown = (sum(part.count(text) for part in ours) for text in ("<select ", " selected>"))
    assert shown == selects - ("out of scope" in case)  # each dropdown shows its value, or "All"
    assert ("Select a valid choice" in html or "选择一个有效的选项" in html) == ("out of scope" in case)
    bad_dates = "no date" in case or "registration date" in case  # a bad date, a date without a time
    assert ('relative errors">' in ours[-2]) == bad_dates


@pytest.mark.parametrize("sheet", [True, False])
@pytest.mark.parametrize("submit", [True, False])
def test_each_shape_of_the_panel_is_unfolds(client, city, monkeypatch, sheet, submit):
    """The panel's frame is Unfold's template rendered once per shape: a sheet or not, a submit button or not."""
    monkeypatch.setattr(ApplicationAdmin, "list_filter_sheet", sheet)
    monkeypatch.setattr(ApplicationAdmin, "list_filter_submit", submit)
    _html, our_panel, ours, theirs = panel(client, city.east_reviewer, {"district__id__exact": city.east.pk, "o": "-2"})
    assert ours == theirs
    assert ('<input type="hidden" name="o" value="-2">' in our_panel) == submit  # the parameters its form keeps


def test_the_dropdowns_offer_only_the_users_scope(client, city):
    _html, _panel, ours, _theirs = panel(client, city.east_reviewer, {})
    school_select = next(part for part in ours if 'name="school__id__exact"' in part)
    assert city.east_school.name in school_select and city.west_school.name not in school_select


@pytest.mark.parametrize("who", ["city_admin", "east_reviewer"])
def test_every_scoped_filter_reads_its_choices_in_one_query(rf, city, who):
    """Every desk list's ScopedRelatedFilter offers str() of each related row in the user's scope, read by
    one query: the column it reads for the label (`name`, where the model has one) is all str() needs."""
    user = getattr(city, who)
    request = rf.get("/")
    request.user = user
    offered = set()
    for model, model_admin in admin.site._registry.items():
        for path, filter_class in (item for item in model_admin.list_filter if isinstance(item, tuple)):
            if not issubclass(filter_class, ScopedRelatedFilter):
                continue
            field = get_fields_from_path(model, path)[-1]
            spec = ScopedRelatedFilter.__new__(ScopedRelatedFilter)
            spec.field_choices(field, request, model_admin)  # the user's scope looked up
            with CaptureQueriesContext(connection) as queries:
                choices = spec.field_choices(field, request, model_admin)
            assert len(queries) == 1, (model, path)
            related = restrict(field.related_model._default_manager.all(), user)
            assert sorted(choices) == sorted((row.pk, str(row)) for row in related), (model, path)
            offered.update(label for _pk, label in choices)
    assert {city.east.name, city.east_school.name, city.campaign.name} <= offered
    assert (city.west_school.name in offered) == (who == "city_admin")


def test_every_desk_lists_panel_is_unfolds(client, city):
    """Every desk list with filters (dropdowns, links, yes/no, dates, related rows) shows Unfold's panel."""
    client.force_login(city.city_admin)
    panels = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.list_filter:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        if response.status_code != 200 or "cl" not in response.context:
            continue  # a list the city administrator may not open
        cl, request = response.context["cl"], response.wsgi_request
        if not cl.has_filters:
            continue  # no panel: none of its filters has anything to offer
        ours = render_to_string(PANEL, {"cl": cl}, request)
        assert ours == unfolds_template(PANEL).render({"cl": cl}, request), url
        assert ours in response.content.decode()
        panels += 1
    assert panels >= 10
