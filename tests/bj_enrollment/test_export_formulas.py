"""Issue 11 hole 7: text a parent or administrator typed as a spreadsheet formula leaves every Excel
and CSV export as text (a leading apostrophe), read back through HTTP; numbers stay numbers."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, Child, Guardian
from apps.lowcode.export_cells import safe_cell
from tests import factories
from tests.exports import exported
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x","y")'
SUM = "=1+1"


def test_safe_cell_guards_formula_starts_only():
    for text in (LINK, SUM, "+86 139", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    for value in ("王小明", "东城区 1-2号", "", -1, 0, 2.5, dt.date(2026, 5, 1), True, None):
        assert safe_cell(value) == value


def sheet_cells(content):
    return [list(row) for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows()]


def assert_text(cell, typed):
    assert cell.data_type == "s" and cell.value == "'" + typed, (cell.value, cell.data_type)


@pytest.fixture
def formulas(city):
    child = Child.objects.filter(pk=city.east_app.child_id)
    child.update(name=LINK)
    Guardian.objects.filter(application=city.east_app).update(name=SUM)
    define("remark", show_in_export=True)
    app = Application.objects.get(pk=city.east_app.pk)
    app.custom = {"remark": SUM}
    app.save(update_fields=["custom"])
    return city


def _export(client, model_name, pk):
    url = reverse(f"admin:bj_enrollment_{model_name}_changelist")
    response = client.post(url, {"action": "export_xlsx", "_selected_action": [str(pk)]})
    return sheet_cells(exported(client, response))


def test_desk_export_writes_formulas_as_text(client, formulas):
    client.force_login(formulas.city_admin)
    header, row = _export(client, "application", formulas.east_app.pk)
    columns = {cell.value: i for i, cell in enumerate(header)}
    assert_text(row[1], LINK)  # the child's name
    assert_text(row[columns["remark"]], SUM)  # a custom field
    guardian = Guardian.objects.get(application=formulas.east_app)
    assert_text(_export(client, "guardian", guardian.pk)[1][0], SUM)
    assert_text(_export(client, "child", formulas.east_app.child_id)[1][0], LINK)


def test_statistics_workbook_writes_names_as_text_and_counts_as_numbers(client, city):
    school = factories.school(city.east, SUM)
    factories.application(city.campaign, factories.child("孙一"), city.east, school, mobile="13700000001")
    client.force_login(city.city_admin)
    response = client.get(reverse("desk-statistics"), {"campaign": city.campaign.pk, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    by_school = next(sheet for sheet in book.worksheets if any(
        cell.value == "'" + SUM for row in sheet.iter_rows() for cell in row))
    row = next(row for row in by_school.iter_rows() if row[0].value == "'" + SUM)
    assert_text(row[0], SUM)
    assert row[1].data_type == "n" and row[1].value == 1


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_registry_export_writes_formulas_as_text(client, city, file_format):
    Child.objects.filter(pk=city.east_app.child_id).update(name=SUM)
    Application.objects.filter(pk=city.east_app.pk).update(state=ApplicationState.CONFIRMED, residence_address=LINK)
    client.force_login(city.city_admin)
    response = client.post(reverse("desk-registry-export"), {"campaign": city.campaign.pk, "file_format": file_format})
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][4] == "'" + SUM and rows[1][11] == "'" + LINK
    else:
        row = sheet_cells(response.content)[1]
        assert_text(row[4], SUM)
        assert_text(row[11], LINK)
