"""R29: the admitted list in the documented layout, read back column by column; scope; the record."""

import csv
import hashlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, RegistryExport
from apps.bj_enrollment.reports.registry_export import COLUMNS, LAYOUT_VERSION
from tests import factories

pytestmark = pytest.mark.django_db
URL = "desk-registry-export"
HEADERS = ["学校代码", "学校名称", "所在区", "报名编号", "儿童姓名", "性别", "出生日期", "证件类型", "证件号码",
           "户籍类别", "户籍所在区", "现住址", "联系手机", "就读证明材料编号"]  # docs/registry_export.md


@pytest.fixture
def admitted(city):
    second = factories.application(city.campaign, factories.child("周东二"), city.east, city.east_school,
                                   mobile="13600000002")
    other_school = factories.school(city.east, "府学胡同小学")
    third = factories.application(city.campaign, factories.child("吴东三"), city.east, other_school,
                                  mobile="13600000003")
    waiting = factories.application(city.campaign, factories.child("郑未确认"), city.east, city.east_school)
    confirmed = [city.east_app, second, third, city.west_app]
    Application.objects.filter(pk__in=[a.pk for a in confirmed]).update(
        state=ApplicationState.CONFIRMED, residence_address="东城区东四十条1号", material_number=""
    )
    city.other_school, city.waiting, city.confirmed = other_school, waiting, confirmed
    return city


def download(client, user, **data):
    client.force_login(user)
    response = client.post(reverse(URL), data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_layout_is_the_documented_one():
    assert [header for header, _value in COLUMNS] == HEADERS
    assert LAYOUT_VERSION in open("docs/registry_export.md", encoding="utf-8").read()


def test_city_export_read_back_column_by_column(client, admitted):
    content = download(client, admitted.city_admin, campaign=admitted.campaign.pk, file_format="xlsx")
    rows = xlsx_rows(content)
    assert rows[0] == HEADERS
    by_number = {row[3]: row for row in rows[1:]}
    assert set(by_number) == {a.form_number for a in admitted.confirmed}  # the unconfirmed one is not there
    app = Application.objects.select_related("school", "district", "child").get(pk=admitted.east_app.pk)
    assert by_number[app.form_number] == [
        app.school.code, app.school.name, "东城区", app.form_number, app.child.name, "男",
        app.child.birth_date.isoformat(), "居民身份证", app.child.id_number, "本市", "", "东城区东四十条1号",
        app.mobile, "",
    ]
    assert by_number[admitted.west_app.form_number][5] == "女"


def test_csv_and_excel_hold_the_same_rows(client, admitted):
    as_xlsx = xlsx_rows(download(client, admitted.city_admin, campaign=admitted.campaign.pk, file_format="xlsx"))
    as_csv = csv_rows(download(client, admitted.city_admin, campaign=admitted.campaign.pk, file_format="csv"))
    assert as_csv == [[str(v) for v in row] for row in as_xlsx]


def test_a_district_export_never_holds_another_districts_row(client, admitted):
    for data in ({}, {"district": admitted.west.pk}):  # a forged district id is refused by the form
        client.force_login(admitted.east_reviewer)
        response = client.post(reverse(URL), {"campaign": admitted.campaign.pk, "file_format": "csv", **data})
        if data:
            assert response.status_code == 200 and "district" in response.context["form"].errors
            continue
        numbers = {row[3] for row in csv_rows(response.content)[1:]}
        assert admitted.west_app.form_number not in numbers
        assert numbers == {a.form_number for a in admitted.confirmed if a.district_id == admitted.east.pk}


def test_a_school_exports_only_itself(client, admitted):
    rows = csv_rows(download(client, admitted.east_school_reviewer, campaign=admitted.campaign.pk, file_format="csv"))
    assert {row[3] for row in rows[1:]} == {admitted.east_app.form_number, admitted.confirmed[1].form_number}
    client.force_login(admitted.east_school_reviewer)
    forged = client.post(reverse(URL), {"campaign": admitted.campaign.pk, "file_format": "csv",
                                        "school": admitted.other_school.pk})
    assert "school" in forged.context["form"].errors


def test_every_export_is_recorded_with_its_hash(client, admitted):
    content = download(client, admitted.east_reviewer, campaign=admitted.campaign.pk, file_format="xlsx",
                       school=admitted.other_school.pk)
    record = RegistryExport.objects.get()
    assert (record.exported_by, record.district, record.school) == (
        admitted.east_reviewer, admitted.east, admitted.other_school
    )
    assert record.rows == 1 and record.layout_version == LAYOUT_VERSION
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    client.force_login(factories.staff("west-exp", "区教委审核员", district_=admitted.west))
    listing = client.get(reverse("admin:bj_enrollment_registryexport_changelist")).content.decode()
    assert record.sha256 not in listing


def test_the_page_needs_the_permission(client, city):
    client.force_login(factories.staff("nobody", "", district_=city.east))
    assert client.get(reverse(URL)).status_code == 403
