"""Schools and plans from spreadsheets: all rows or none, bad rows named by their line, scope kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.bj_enrollment.imports import plans, schools
from apps.bj_enrollment.models import School, SchoolPlan
from apps.lowcode.dataimport import read_rows

pytestmark = pytest.mark.django_db
SCHOOLS = (
    "区,学校代码,学校名称,办学性质,学段,地址,电话\n"
    "东城区,1101010001,东城第一实验小学,公办,小学,东城区北池子大街1号,010-65120001\n"
    "110102,1101020002,西城民办双语学校,民办,小学、初中,西城区西四北大街2号,\n"
)


def csv_rows(module, content: str):
    return read_rows("f.csv", content.encode("utf-8-sig"), module.COLUMNS, module.REQUIRED)


def xlsx(content: str) -> bytes:
    book = Workbook()
    for line in content.splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_schools_import_and_again_changes_nothing(city):
    result = schools.import_schools(csv_rows(schools, SCHOOLS), user=city.city_admin)
    assert result.ok and (result.created, result.updated) == (2, 0)
    private = School.objects.get(code="1101020002")
    assert (private.district, private.ownership, private.offers_primary, private.offers_junior) == (
        city.west, "private", True, True
    )
    again = schools.import_schools(csv_rows(schools, SCHOOLS), user=city.city_admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renamed = SCHOOLS.replace("东城第一实验小学", "东城第一实验小学（本部）")
    assert schools.import_schools(csv_rows(schools, renamed), user=city.city_admin).updated == 1


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("朝阳区,1101050003,朝阳小学,公办,小学,,", "朝阳区"),
        ("东城区,123,短代码小学,公办,小学,,", "10"),
        ("东城区,1101010004,东城第一实验小学,公办,小学,,", "2"),  # same name as line 2
        ("东城区,1101010005,某校,公私合营,小学,,", "公私合营"),
        ("东城区,1101010006,某校二,公办,幼儿园,,", "幼儿园"),
    ],
    ids=["unknown district", "short code", "duplicate name", "bad ownership", "bad level"],
)
def test_one_bad_school_row_imports_nothing(city, line, needle):
    before = School.objects.count()
    result = schools.import_schools(csv_rows(schools, SCHOOLS + line + "\n"), user=city.city_admin)
    assert {e.row for e in result.errors} == {4}
    assert needle in " ".join(e.message for e in result.errors)
    assert School.objects.count() == before


def test_missing_required_column_is_refused_before_any_row(city):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        csv_rows(schools, "区,学校名称\n东城区,某校\n")
    assert "学校代码" in exc.value.messages[0]


def test_plans_import_excel_and_scope(city):
    year = city.campaign.year
    content = f"招生年度,学校代码,计划数\n{year},{city.east_school.code},45\n{year},{city.west_school.code},30\n"
    admin_result = plans.import_plans(read_rows("p.xlsx", xlsx(content), plans.COLUMNS, plans.REQUIRED),
                                      user=city.city_admin)
    assert admin_result.ok and admin_result.created == 2
    assert SchoolPlan.objects.get(school=city.east_school).seats == 45
    SchoolPlan.objects.all().delete()
    reviewer_result = plans.import_plans(csv_rows(plans, content), user=city.east_reviewer)
    assert [e.row for e in reviewer_result.errors] == [3]  # the west school is outside the reviewer's scope
    assert not SchoolPlan.objects.exists()


def test_plans_bad_seats_and_duplicates(city):
    year = city.campaign.year
    content = f"招生年度,学校代码,计划数\n{year},{city.east_school.code},四十\n{year},{city.east_school.code},40\n"
    result = plans.import_plans(csv_rows(plans, content), user=city.city_admin)
    assert [e.row for e in result.errors] == [2, 3]  # a bad number, then the same school again
    assert "四十" in result.errors[0].message and "2" in result.errors[1].message


def test_desk_upload_template_and_error_page(client, city):
    client.force_login(city.east_reviewer)
    base = "admin:bj_enrollment_schoolplan_"
    template = client.get(reverse(base + "import_template"))
    headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert headers == ["招生年度", "学校代码", "计划数"]
    bad = f"招生年度,学校代码,计划数\n{city.campaign.year},{city.west_school.code},30\n"
    page = client.post(reverse(base + "import_file"),
                       {"file": SimpleUploadedFile("p.csv", bad.encode("utf-8-sig"), content_type="text/csv")})
    assert page.status_code == 200 and 'id="import-errors"' in page.content.decode()
    good = f"招生年度,学校代码,计划数\n{city.campaign.year},{city.east_school.code},30\n"
    done = client.post(reverse(base + "import_file"),
                       {"file": SimpleUploadedFile("p.csv", good.encode("utf-8-sig"), content_type="text/csv")})
    assert done.status_code == 302 and SchoolPlan.objects.get().seats == 30
    # district reviewers may not change schools: no import there
    assert client.get(reverse("admin:bj_enrollment_school_import_file")).status_code == 403


def test_city_admin_imports_schools_through_the_desk(client, city):
    client.force_login(city.city_admin)
    upload = SimpleUploadedFile("s.xlsx", xlsx(SCHOOLS))
    response = client.post(reverse("admin:bj_enrollment_school_import_file"), {"file": upload})
    assert response.status_code == 302
    assert School.objects.filter(code__in=["1101010001", "1101020002"]).count() == 2
