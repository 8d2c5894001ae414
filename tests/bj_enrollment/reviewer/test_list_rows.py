"""The reviewers' application list (issue #17): its rows are built once per column
(apps/lowcode/changelist_rows.py) yet read exactly as Unfold's own rows, and a page costs the same
number of queries whatever the number of rows on it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from unfold.templatetags import unfold_list

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application
from apps.lowcode import changelist_rows
from apps.lowcode.workflow import states as workflow_states
from tests import factories


def list_url(**filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return reverse("admin:bj_enrollment_application_changelist") + (f"?{query}" if query else "")


def add_applications(city, n, state=ApplicationState.PRE_ADMITTED):
    for i in range(n):
        app = factories.application(city.campaign, factories.child(f"学生{i}"), city.east, city.east_school)
        factories.put_in_state(app, state)


@pytest.mark.parametrize("who", ["east_reviewer", "city_admin", "east_school_reviewer"])
def test_rows_read_as_unfolds_own(client, city, who):
    add_applications(city, 3)
    factories.put_in_state(city.east_app, ApplicationState.CONFIRMED)
    client.force_login(getattr(city, who))
    response = client.get(list_url(o="-7"))  # sorted by a column too: header links differ per column
    assert response.status_code == 200
    cl = response.context["cl"]
    context = {"request": response.wsgi_request}
    ours, theirs = changelist_rows.result_list(context, cl), unfold_list.result_list(context, cl)
    assert [list(row) for row in ours["results"]] == [list(row) for row in theirs["results"]]
    assert [row.instance.pk for row in ours["results"]] == [row.instance.pk for row in theirs["results"]]
    assert ours["result_headers"] == theirs["result_headers"]
    assert len(ours["results"]) == cl.result_list.__len__() >= 1
    html = response.content.decode()
    assert 'name="_selected_action"' in html and "data-label" in html


def test_another_districts_rows_are_not_listed(client, city):
    client.force_login(city.east_reviewer)
    response = client.get(list_url())
    shown = {row.instance.pk for row in changelist_rows.result_list(
        {"request": response.wsgi_request}, response.context["cl"])["results"]}
    assert city.east_app.pk in shown and city.west_app.pk not in shown
    assert city.west_app.form_number not in response.content.decode()


def queries_for_list(client, **filters) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(list_url(**filters))
    assert response.status_code == 200
    return len(ctx), len(response.context["cl"].result_list)


def test_the_filtered_list_costs_the_same_queries_for_2_or_12_rows(client, city):
    client.force_login(city.east_reviewer)
    add_applications(city, 2)
    client.get(list_url(state__exact=ApplicationState.PRE_ADMITTED))  # warm the per-process caches
    few, rows_few = queries_for_list(client, state__exact=ApplicationState.PRE_ADMITTED)
    add_applications(city, 10)
    many, rows_many = queries_for_list(client, state__exact=ApplicationState.PRE_ADMITTED)
    assert (rows_few, rows_many) == (2, 12)
    assert many == few
    assert few <= 20  # issue #17 measured 18 on the district reviewer's filtered list


def test_the_table_renders_as_unfolds_own_template(client, city):
    """templates/admin/change_list_results.html looks the admin's settings up once per page; the HTML
    is the HTML Unfold's own template makes of Unfold's own rows."""
    from pathlib import Path

    import unfold
    from django.template import engines
    from django.template.loader import render_to_string

    add_applications(city, 3)
    client.force_login(city.east_reviewer)
    response = client.get(list_url())
    cl, request = response.context["cl"], response.wsgi_request
    context = {"request": request}
    unfold_template = Path(unfold.__file__).parent / "templates" / "admin" / "change_list_results.html"
    theirs = engines["django"].from_string(unfold_template.read_text()).render(
        unfold_list.result_list(context, cl), request)
    page = changelist_rows.result_list(context, cl)
    assert page["rows_html"]  # the rows' markup rendered twice a page, the cells put in
    ours = render_to_string("admin/change_list_results.html", page, request)
    assert ours.strip() == theirs.strip() and 'id="result_list"' in ours
    # the row-by-row path (lists with a formset, sections or row actions) makes the same table
    row_by_row = render_to_string("admin/change_list_results.html", {**page, "rows_html": None}, request)
    assert row_by_row == ours


UNFOLD_BADGE_BACKGROUND = {"info": "bg-blue-100", "success": "bg-green-100", "warning": "bg-orange-100",
                           "danger": "bg-red-100", "primary": "bg-primary-100"}


def test_each_row_shows_its_state_as_a_badge_in_the_workflows_colour(client, city):
    """The state column is a badge coloured by the active workflow's state style (states are data);
    it read "pre_admitted, 预录取" as plain text while the colours were an empty mapping to Unfold."""
    add_applications(city, 2)
    client.force_login(city.east_reviewer)
    html = client.get(list_url(state__exact=ApplicationState.PRE_ADMITTED)).content.decode()
    cells = re.findall(r'<td class="field-state_badge[^"]*"[^>]*>(.*?)</td>', html, flags=re.S)
    background = UNFOLD_BADGE_BACKGROUND[workflow_states.styles(Application)[ApplicationState.PRE_ADMITTED]]
    assert len(cells) == 2
    for cell in cells:
        badge = re.fullmatch(r'\s*<span class="([^"]*)"\s*>\s*(.*?)\s*</span>\s*', cell, flags=re.S)
        assert badge, cell
        assert badge.group(2) == "预录取" and background in badge.group(1).split()


def test_every_desk_list_reads_as_unfolds_own_rows(client, city):
    """Each list the desk registers, as the city administrator (the widest scope), with whatever rows
    the city holds: the rows built per column are Unfold's own, cell for cell."""
    from django.contrib import admin as django_admin

    add_applications(city, 2)
    client.force_login(city.city_admin)
    compared, badges = [], []
    for model in django_admin.site._registry:
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if response.status_code != 200 or not response.context or "cl" not in response.context:
            continue
        cl = response.context["cl"]
        if getattr(cl, "formset", None) or not len(cl.result_list):
            continue
        context = {"request": response.wsgi_request}
        ours, theirs = changelist_rows.result_list(context, cl), unfold_list.result_list(context, cl)
        assert [list(row) for row in ours["results"]] == [list(row) for row in theirs["results"]], opts.label
        compared.append(opts.label)
        if "state_badge" in cl.list_display:  # a state is a badge, never "name, label" as text
            cells = re.findall(r'<td class="field-state_badge[^"]*"[^>]*>(.*?)</td>', response.content.decode(), re.S)
            assert cells and all(cell.strip().startswith("<span") for cell in cells), opts.label
            badges.append(opts.label)
    assert {"bj_enrollment.Application", "bj_enrollment.Child", "bj_enrollment.Guardian"} <= set(compared)
    assert "bj_enrollment.Application" in badges
    assert len(compared) >= 12, compared  # 14 lists hold rows in the test city
