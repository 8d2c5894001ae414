"""#17: a large desk export reads values, not model instances (export_columns.value_plan), and writes
its Excel sheet as a stream (xlsx_stream). The files must be what the instance path and openpyxl wrote:
every column, the masks (R26), the custom fields, empty values, dates and the user's scope."""

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.bj_enrollment.choices import Ownership
from apps.bj_enrollment.desk.export import desk_columns
from apps.bj_enrollment.models import Application, Child, Guardian, PreferenceSetting
from apps.bj_enrollment.scope import restrict
from apps.lowcode import export_jobs, xlsx_stream
from apps.lowcode.export_cells import safe_row
from apps.lowcode.export_columns import attribute, labels_remembered, value_plan
from apps.lowcode.masking import mask_id_number, mask_phone
from tests import factories
from tests.exports import exported, run_export_jobs
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"
SECOND_MOBILE, OTHER_ID = "13711112222", "11010120190101123X"
NAIVE_TIME = dt.datetime(2026, 5, 1, 8, 30, 15, 250000, tzinfo=dt.UTC).replace(tzinfo=None)  # as cells hold them


def instance_columns(model):
    """The desk's columns, each getter hidden behind a plain callable: the export reads model
    instances, as every export did before the values path."""
    return [(header, _opaque(getter)) for header, getter in desk_columns(model)]


def _opaque(getter):
    return lambda obj: getter(obj) if callable(getter) else attribute(obj, getter)


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.STAFF_2FA = False


@pytest.fixture
def mixed(city):
    """Custom fields of every simple type, one application with all of them, one with none, one
    without a school, names a spreadsheet would misread, and an ended application."""
    define("note", show_in_export=True)
    define("moved_on", "date", show_in_export=True)
    define("siblings", "number", show_in_export=True)
    define("bus", "checkbox", show_in_export=True)
    define("transport", "select", options="公交\n步行", show_in_export=True)
    define("second_mobile", "phone", show_in_export=True)
    define("other_id", "id_number", show_in_export=True)
    define("hidden", show_in_export=False)
    Application.objects.filter(pk=city.east_app.pk).update(custom={
        "note": "  前后有空格 ", "moved_on": "2020-05-01", "siblings": 2, "bus": True, "transport": "公交",
        "second_mobile": SECOND_MOBILE, "other_id": OTHER_ID, "hidden": "不导出",
    })
    Application.objects.filter(pk=city.west_app.pk).update(custom={"bus": False, "siblings": 0})
    factories.application(city.campaign, factories.child("=HYPERLINK(\"x\")"), city.east, None, mobile="13600000000")
    factories.application(city.campaign, factories.child("A&B <c>"), city.east, city.east_school,
                          state="cancelled", mobile="13500000000")
    return city


def _fast(client, file_format, model=Application):
    ids = model.objects.values_list("pk", flat=True)
    asked = client.post(reverse(f"admin:bj_enrollment_{model._meta.model_name}_changelist"),
                        {"action": f"export_{file_format}", "select_across": "1", "index": "0",
                         "_selected_action": [str(pk) for pk in ids]})
    return exported(client, asked)


def _by_instances(user, file_format, model=Application):
    """The same export as the desk's action, through model instances."""
    related = admin.site._registry[model].list_select_related
    export = export_jobs.start(
        user, model.objects.select_related(*related).order_by("pk"), title="applications",
        columns="tests.bj_enrollment.test_export_fast_path.instance_columns",
        scope="apps.bj_enrollment.scope.restrict", file_format=file_format,
    )
    run_export_jobs()
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as handle:
        return handle.read()


def _openpyxl_file(user) -> bytes:
    """The instance path's rows in openpyxl's own write-only workbook, as exports were written before."""
    columns = instance_columns(Application)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(Application._meta.verbose_name_plural)[:31])
    sheet.append(safe_row([str(header) for header, _getter in columns]))
    with labels_remembered():
        for obj in restrict(Application.objects.select_related("child", "district", "school"), user).order_by("pk"):
            sheet.append(safe_row([export_jobs.cell_value(obj, getter) for _header, getter in columns]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(content: bytes) -> list[list[tuple]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[(cell.value, cell.data_type, cell.number_format) for cell in row] for row in sheet.iter_rows()]


def test_the_desk_columns_of_applications_are_read_as_values(mixed):
    lookups, cells = value_plan(Application, desk_columns(Application))
    assert "child__id_number" in lookups and "custom" in lookups and len(cells) == len(desk_columns(Application))
    assert value_plan(Application, instance_columns(Application)) is None


@pytest.mark.parametrize("who", ["city_admin", "east_reviewer"])
def test_the_values_path_writes_the_files_the_instance_path_wrote(client, mixed, who):
    user = getattr(mixed, who)
    client.force_login(user)
    fast_csv, slow_csv = _fast(client, "csv"), _by_instances(user, "csv")
    assert fast_csv == slow_csv
    rows = list(csv.reader(io.StringIO(fast_csv.decode("utf-8-sig"))))
    in_scope = Application.objects.all() if who == "city_admin" else Application.objects.filter(district=mixed.east)
    assert sorted(row[0] for row in rows[1:]) == sorted(in_scope.values_list("form_number", flat=True))
    header = rows[0]
    assert header[-7:] == ["note", "moved_on", "siblings", "bus", "transport", "second_mobile", "other_id"]
    east = next(row for row in rows if row[0] == mixed.east_app.form_number)
    assert east[-7:] == ["  前后有空格 ", "2020-05-01", "2", "是", "公交", mask_phone(SECOND_MOBILE),
                         mask_id_number(OTHER_ID)]
    assert east[2] == mask_id_number(mixed.east_app.child.id_number)
    assert east[3] == mask_phone(mixed.east_app.mobile)
    text = fast_csv.decode("utf-8-sig")
    for full in (SECOND_MOBILE, OTHER_ID, "不导出", *Application.objects.values_list("child__id_number", flat=True),
                 *Application.objects.values_list("mobile", flat=True)):
        assert full not in text  # masked everywhere, and a field not flagged for export stays out
    assert "'=HYPERLINK(\"x\")" in {row[1] for row in rows}

    fast_xlsx, slow_xlsx = _fast(client, "xlsx"), _by_instances(user, "xlsx")
    assert _cells(fast_xlsx) == _cells(slow_xlsx) == _cells(_openpyxl_file(user))
    registered = _cells(fast_xlsx)[1][8]
    assert isinstance(registered[0], dt.datetime) and registered[2] == "yyyy-mm-dd h:mm:ss"  # a date cell


def test_the_stream_writer_gives_back_what_openpyxl_gives_back(tmp_path):
    """Every kind of cell an export holds, read back through openpyxl from both files."""
    rows = [
        ["文本", " 前后空格 ", "", "'=1+1", "A&B <c> \"q\"", "两行\n文本", "#N/A", "x" * 40000],
        [0, -1, 2**40, 2.5, 1 / 3, True, False, ""],
        [dt.date(2020, 2, 29), NAIVE_TIME, dt.time(13, 45), "末列"],
        ["只有一列"],
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("申请")
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "openpyxl.xlsx")
    assert xlsx_stream.write(tmp_path / "stream.xlsx", "申请", rows[0], rows[1:]) == 3
    ours, theirs = (load_workbook(tmp_path / name) for name in ("stream.xlsx", "openpyxl.xlsx"))
    assert ours.sheetnames == theirs.sheetnames == ["申请"]
    assert _cells((tmp_path / "stream.xlsx").read_bytes()) == _cells((tmp_path / "openpyxl.xlsx").read_bytes())
    streamed = load_workbook(tmp_path / "stream.xlsx", read_only=True).active
    assert [list(row) for row in streamed.iter_rows(values_only=True)][3][:1] == ["只有一列"]


@pytest.mark.parametrize("model", [Child, Guardian])
def test_the_childrens_and_guardians_exports_read_values_and_write_the_same_files(client, mixed, model):
    assert value_plan(model, desk_columns(model)) is not None
    client.force_login(mixed.city_admin)
    assert _fast(client, "csv", model) == _by_instances(mixed.city_admin, "csv", model)
    assert _cells(_fast(client, "xlsx", model)) == _cells(_by_instances(mixed.city_admin, "xlsx", model))
    text = _fast(client, "csv", model).decode("utf-8-sig")
    numbers = model.objects.values_list("id_number", flat=True)
    phones = Guardian.objects.values_list("phone", flat=True) if model is Guardian else []
    assert model.objects.count() >= 4 and not any(full in text for full in [*numbers, *phones])


def test_a_column_naming_a_method_exports_its_result(client, city):
    """The preference settings' ownership column is "get_ownership_display": its label, not the method."""
    PreferenceSetting.objects.create(campaign=factories.junior_campaign(), district=city.east,
                                     ownership=Ownership.PRIVATE)
    client.force_login(city.city_admin)
    ids = PreferenceSetting.objects.values_list("pk", flat=True)
    asked = client.post(reverse("admin:bj_enrollment_preferencesetting_changelist"),
                        {"action": "export_csv", "_selected_action": [str(pk) for pk in ids]})
    rows = list(csv.reader(io.StringIO(exported(client, asked).decode("utf-8-sig"))))
    assert rows[1][3] == str(Ownership.PRIVATE.label) and "bound method" not in str(rows)
