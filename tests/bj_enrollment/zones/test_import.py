"""Zone rows from a district's spreadsheet: all rows or none, with the bad row named."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.bj_enrollment.models import ServiceZone, ZoneArea
from apps.bj_enrollment.zones import importer
from apps.bj_enrollment.zones.importer import import_zone_areas
from apps.bj_enrollment.zones.service import look_up_zone
from apps.lowcode.dataimport import read_rows
from tests import factories
from tests.bj_enrollment.zones.conftest import new_id

pytestmark = pytest.mark.django_db
HEADER = "区,服务片区,学校,多校划片,街道路名,小区,起始号,终止号,单双号\n"
GOOD = HEADER + (
    "东城区,北新桥片,史家胡同小学,否,北新桥三条,,1,40,全部\n"
    "东城区,北新桥片,史家胡同小学,否,,民安小区,,,\n"
    "海淀区,中关村南大街南段,中关村第一小学,否,中关村南大街,,1,80,单号\n"
)


def read_table(name: str, content: bytes):
    return read_rows(name, content, importer.COLUMNS, importer.REQUIRED, importer.ANY_OF)


def rows(text: str):
    return read_table("zones.csv", text.encode("utf-8-sig"))


def test_good_file_imports_and_again_changes_nothing(zone_city):
    before = ZoneArea.objects.count()
    report = import_zone_areas(rows(GOOD))
    assert report.ok and (report.created, report.updated, report.unchanged) == (1, 1, 0)
    fields = ("zone__name", "road", "compound", "number_from", "number_to", "parity")
    snapshot = sorted(ZoneArea.objects.values_list(*fields))
    assert len(snapshot) == before + 3 - 1  # the southern Zhongguancun zone's one row was replaced
    ids = sorted(ZoneArea.objects.values_list("pk", flat=True))
    again = import_zone_areas(rows(GOOD))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(ZoneArea.objects.values_list(*fields)) == snapshot
    assert sorted(ZoneArea.objects.values_list("pk", flat=True)) == ids  # not even rewritten
    changed = import_zone_areas(rows(GOOD.replace(",1,40,", ",1,42,")))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert ZoneArea.objects.filter(road="北新桥三条", number_to=42).count() == 1
    import_zone_areas(rows(GOOD))
    result = look_up_zone(new_id(), "东城区北新桥三条12号", campaign=zone_city.campaign)
    assert [s.name for a in result.zones for s in a.schools] == ["史家胡同小学"]


@pytest.mark.parametrize(
    ("bad_line", "needle"),
    [
        ("西城区,新片,没有这个学校,否,西四北大街,,1,10,全部\n", "没有这个学校"),
        ("东城区,北新桥片,史家胡同小学,否,北新桥三条,,40,1,全部\n", ""),
        ("东城区,北新桥片,史家胡同小学,否,北新桥三条,,1,10,隔号\n", "隔号"),
        ("东城区,北新桥片,史家胡同小学,否,,,,,\n", ""),
    ],
    ids=["unknown school", "range backwards", "bad parity", "no place"],
)
def test_one_bad_row_imports_nothing_and_names_the_row(zone_city, bad_line, needle):
    before = sorted(ZoneArea.objects.values_list("pk", "road", "number_from"))
    zones = ServiceZone.objects.count()
    report = import_zone_areas(rows(GOOD + bad_line))
    assert not report.ok
    assert {e.row for e in report.errors} == {5}  # header is row 1, the bad line is the 4th data row
    assert needle in report.errors[0].message
    assert sorted(ZoneArea.objects.values_list("pk", "road", "number_from")) == before
    assert ServiceZone.objects.count() == zones


def test_excel_reads_like_csv(zone_city):
    book = Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append([int(v) if v.isdigit() else v for v in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_zone_areas(read_table("zones.xlsx", buffer.getvalue()))
    assert report.ok and (report.created, report.updated) == (1, 1)
    again = import_zone_areas(rows(GOOD))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert ZoneArea.objects.filter(zone__name="北新桥片", road="北新桥三条", number_from=1, number_to=40).count() == 1


def test_a_district_reviewer_imports_only_their_district(zone_city, client):
    reviewer = factories.staff("dc-zones", "区教委审核员", district_=zone_city.dongcheng)
    report = import_zone_areas(rows(GOOD), user=reviewer)
    assert [e.row for e in report.errors] == [4]  # the Haidian row
    client.force_login(reviewer)
    upload = SimpleUploadedFile("zones.csv", GOOD.encode("utf-8-sig"), content_type="text/csv")
    response = client.post(reverse("admin:bj_enrollment_zonearea_import_file"), {"file": upload})
    assert response.status_code == 200
    assert "4" in response.content.decode()
    assert not ServiceZone.objects.filter(name="北新桥片").exists()
