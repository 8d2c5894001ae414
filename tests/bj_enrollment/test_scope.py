"""Scope matrix (R25, R26): for each role, an out-of-scope application is refused or absent on every
desk path that can reach it, not just hidden in a template."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment.models import Application, Child, Guardian, Property
from apps.bj_enrollment.scope import in_scope, restrict
from apps.lowcode.masking import mask_id_number, mask_phone
from tests.exports import exported

pytestmark = pytest.mark.django_db

REVIEWERS = ["east_reviewer", "east_school_reviewer"]


def _login(client, city, role):
    client.force_login(getattr(city, role))
    return client


def _listed(response):
    """Form numbers of the rows the changelist actually returned (the search box echoes the query)."""
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def _url(model, view, *args):
    return reverse(f"admin:bj_enrollment_{model}_{view}", args=args)


@pytest.mark.parametrize("role", REVIEWERS)
def test_list_shows_only_own_scope(client, city, role):
    page = _login(client, city, role).get(_url("application", "changelist")).content.decode()
    assert city.east_app.form_number in page
    assert city.west_app.form_number not in page
    assert city.west_app.child.name not in page


def test_city_admin_sees_every_district(client, city):
    page = _login(client, city, "city_admin").get(_url("application", "changelist")).content.decode()
    assert city.east_app.form_number in page and city.west_app.form_number in page


@pytest.mark.parametrize("role", REVIEWERS)
@pytest.mark.parametrize("model", ["application", "child", "guardian", "property"])
def test_change_page_of_out_of_scope_row_is_refused(client, city, role, model):
    other = {
        "application": city.west_app,
        "child": city.west_app.child,
        "guardian": city.west_app.guardians.get(),
        "property": city.west_app.properties.get(),
    }[model]
    response = _login(client, city, role).get(_url(model, "change", other.pk))
    assert response.status_code in (302, 403, 404)
    assert city.west_app.child.name not in response.content.decode()
    own = {
        "application": city.east_app,
        "child": city.east_app.child,
        "guardian": city.east_app.guardians.get(),
        "property": city.east_app.properties.get(),
    }[model]
    assert client.get(_url(model, "change", own.pk)).status_code == 200


@pytest.mark.parametrize("role", REVIEWERS)
def test_history_of_out_of_scope_row_is_refused(client, city, role):
    _login(client, city, role)
    assert client.get(_url("application", "history", city.west_app.pk)).status_code in (302, 403, 404)
    record = city.west_app.history.first()
    response = client.get(_url("application", "simple_history", city.west_app.pk, record.history_id))
    assert response.status_code in (302, 403, 404)
    assert client.get(_url("application", "history", city.east_app.pk)).status_code == 200


@pytest.mark.parametrize("role", REVIEWERS)
@pytest.mark.parametrize("term", ["form_number", "id_number", "name", "mobile"])
def test_search_does_not_find_out_of_scope_rows(client, city, role, term):
    west = city.west_app
    query = {
        "form_number": west.form_number,
        "id_number": west.child.id_number,
        "name": west.child.name,
        "mobile": west.mobile,
    }[term]
    response = _login(client, city, role).get(_url("application", "changelist"), {"q": query}, follow=True)
    assert _listed(response) == set()
    assert west.child.name not in response.content.decode() or term == "name"
    # the same search finds the row for someone whose scope holds it
    client.force_login(city.city_admin)
    assert _listed(client.get(_url("application", "changelist"), {"q": query}, follow=True)) == {west.form_number}


@pytest.mark.parametrize("role", REVIEWERS)
def test_autocomplete_does_not_offer_out_of_scope_rows(client, city, role):
    _login(client, city, role)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "bj_enrollment",
            "model_name": "guardian",
            "field_name": "application",
            "term": city.west_app.form_number,
        },
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize("role", REVIEWERS)
def test_filter_choices_list_only_own_schools(client, city, role):
    page = _login(client, city, role).get(_url("application", "changelist")).content.decode()
    assert city.east_school.name in page
    assert city.west_school.name not in page


@pytest.mark.parametrize("role", REVIEWERS)
def test_filtering_by_out_of_scope_district_returns_nothing(client, city, role):
    response = _login(client, city, role).get(_url("application", "changelist"), {"district__id__exact": city.west.pk})
    assert response.status_code == 200 and not _listed(response)


def _export(client, ids, select_across=False):
    data = {"action": "export_xlsx", "_selected_action": [str(i) for i in ids]}
    if select_across:
        data["select_across"] = "1"
    response = client.post(_url("application", "changelist"), data)
    content = exported(client, response)
    if content is None:
        return None
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("role", REVIEWERS)
def test_export_never_contains_out_of_scope_rows(client, city, role):
    _login(client, city, role)
    rows = _export(client, [city.east_app.pk, city.west_app.pk])
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [city.east_app.form_number]
    rows = _export(client, [city.east_app.pk], select_across=True)
    assert [r[0] for r in rows[1:]] == [city.east_app.form_number]
    # only the out-of-scope row selected: nothing is exported
    rows = _export(client, [city.west_app.pk])
    assert rows is None or len(rows) == 1


def test_export_masks_id_numbers_and_phones(client, city):
    _login(client, city, "city_admin")
    rows = _export(client, [city.east_app.pk])
    row = rows[1]
    assert row[:4] == (
        city.east_app.form_number,
        city.east_app.child.name,
        mask_id_number(city.east_app.child.id_number),
        mask_phone(city.east_app.mobile),
    )


@pytest.mark.parametrize("role", [*REVIEWERS, "city_admin"])
def test_lists_mask_id_numbers_and_phones(client, city, role):
    page = _login(client, city, role).get(_url("application", "changelist")).content.decode()
    app = city.east_app
    assert mask_id_number(app.child.id_number) in page
    assert app.child.id_number not in page
    assert app.mobile not in page
    for model in ("child", "guardian"):
        page = client.get(_url(model, "changelist")).content.decode()
        assert app.child.id_number not in page and app.mobile not in page


def test_school_reviewer_does_not_see_other_schools_in_own_district(client, city):
    from tests import factories

    other_school = factories.school(city.east, "府学胡同小学")
    other = factories.application(city.campaign, factories.child("钱同区"), city.east, other_school)
    user = city.east_school_reviewer
    assert not in_scope(user, other)
    assert in_scope(city.east_reviewer, other)
    assert list(restrict(Application.objects.all(), user)) == [city.east_app]


@pytest.mark.parametrize("model", [Application, Child, Guardian, Property])
def test_querysets_and_object_checks_agree(city, model):
    for user in (city.city_admin, city.east_reviewer, city.east_school_reviewer):
        visible = set(restrict(model.objects.all(), user).values_list("pk", flat=True))
        assert visible == {obj.pk for obj in model.objects.all() if in_scope(user, obj)}


def test_staff_without_role_or_scope_sees_nothing(client, city):
    from tests import factories

    user = factories.staff("nobody", role="")
    assert not restrict(Application.objects.all(), user).exists()
    client.force_login(user)
    assert client.get(_url("application", "changelist")).status_code == 403


def test_scoped_list_query_count_is_flat(client, city):
    """The list costs the same number of queries for 1 row as for 16 (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    _login(client, city, "east_reviewer")
    client.get(_url("application", "changelist"))  # warm per-process caches (workflow definition)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("application", "changelist")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(15):
        factories.application(
            city.campaign, factories.child(f"批量{i}"), city.east, city.east_school, mobile=f"1390000{i:04d}"
        )
    assert count() == one <= 24


def test_object_permissions_follow_scope(city):
    perm = "bj_enrollment.change_application"
    assert city.east_reviewer.has_perm(perm, city.east_app)
    assert not city.east_reviewer.has_perm(perm, city.west_app)
    assert city.east_school_reviewer.has_perm(perm, city.east_app)
    assert not city.east_school_reviewer.has_perm("bj_enrollment.delete_application", city.east_app)
    assert city.city_admin.has_perm(perm, city.west_app)
