"""R27: statistics within scope, each number linking to the list it counts, and the Excel download."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment.choices import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_city(city):
    for i in range(3):
        factories.application(
            city.campaign,
            factories.child(f"东{i}", region="110101"),
            city.east,
            city.east_school,
            state=ApplicationState.PRE_ADMITTED,
            mobile=f"1391000000{i}",
        )
    return city


def _login(client, user):
    client.force_login(user)


def test_statistics_city_admin_sees_every_district(client, busy_city):
    _login(client, busy_city.city_admin)
    response = client.get(reverse("desk-statistics"))
    figures = response.context["figures"]
    assert figures.total == 5
    assert {r.label: r.count for r in figures.by_district} == {"东城区": 4, "西城区": 1}


def test_statistics_district_reviewer_sees_only_own_district(client, busy_city):
    _login(client, busy_city.east_reviewer)
    response = client.get(reverse("desk-statistics"))
    figures = response.context["figures"]
    assert [r.label for r in figures.by_district] == ["东城区"] and figures.total == 4
    assert "西城区" not in response.content.decode() and busy_city.west_school.name not in response.content.decode()


def test_statistics_school_reviewer_sees_only_own_school(client, busy_city):
    _login(client, busy_city.east_school_reviewer)
    figures = client.get(reverse("desk-statistics")).context["figures"]
    assert [(r.label, r.count) for r in figures.by_school] == [(busy_city.east_school.name, 4)]


def test_statistics_numbers_link_to_lists_with_the_same_count(client, busy_city):
    _login(client, busy_city.city_admin)
    response = client.get(reverse("desk-statistics"))
    for section_title, rows in response.context["sections"]:
        for item in rows:
            listed = client.get(item["url"])
            assert listed.status_code == 200, item["url"]
            assert listed.context["cl"].queryset.count() == item["row"].count, (section_title, item["url"])


def test_statistics_excel_of_district_reviewer_has_no_other_district(client, busy_city):
    _login(client, busy_city.east_reviewer)
    response = client.get(reverse("desk-statistics"), {"format": "xlsx"})
    book = load_workbook(BytesIO(response.content))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert "东城区" in cells and "西城区" not in cells and busy_city.west_school.name not in cells
    district_sheet = book.worksheets[0]
    assert [[c.value for c in row] for row in district_sheet.iter_rows(min_row=2)] == [["东城区", 4]]


def test_statistics_refused_without_view_permission(client, busy_city):
    from django.contrib.auth.models import User

    _login(client, User.objects.create_user("nobody", password="x", is_staff=True))
    assert client.get(reverse("desk-statistics")).status_code == 403
