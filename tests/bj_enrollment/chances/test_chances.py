"""High-school chances (R42): the city imports the figures through the desk's one import screen (all rows
or none, only the city), and anyone reads them on /chances/ (Chinese, no script, SVG bars), by district
and by name."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.bj_enrollment.models import HighSchoolEntry, School
from tests import factories

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:bj_enrollment_highschoolentry_import_file")
PAGE = reverse("chances")
HEADER = "学校代码,毕业年度,毕业生人数,升入优质高中人数\n"


@pytest.fixture
def juniors(city):
    east = factories.junior_school(city.east, "东城实验中学")
    west = factories.junior_school(city.west, "西城育才中学")
    private = School.objects.create(district=city.east, name="东城民办中学", code="1101019999",
                                    offers_primary=False, offers_junior=True, ownership="private")
    return east, west, private


@pytest.fixture
def public(client):
    client.logout()
    client.defaults["REMOTE_ADDR"] = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return client


def upload(client, content: str):
    file = SimpleUploadedFile("chances.csv", content.encode("utf-8-sig"), content_type="text/csv")
    return client.post(IMPORT, {"file": file})


def figures(east, west) -> str:
    return HEADER + "".join(
        f"{school.code},{year},{graduates},{entrants}\n"
        for school, rows in ((east, ((2023, 200, 90), (2024, 210, 105), (2025, 220, 121))),
                             (west, ((2023, 100, 30), (2024, 100, 35), (2025, 100, 40))))
        for year, graduates, entrants in rows
    )


def snapshot():
    return sorted(HighSchoolEntry.objects.values_list("school_id", "year", "graduates", "quality_entrants"))


def test_city_imports_and_the_public_searches_by_district_and_name(client, city, juniors, public):
    east, west, _private = juniors
    client.force_login(city.city_admin)
    assert upload(client, figures(east, west)).status_code == 302
    assert HighSchoolEntry.objects.count() == 6
    again = upload(client, figures(east, west))  # the same file again changes nothing
    assert again.status_code == 302 and HighSchoolEntry.objects.count() == 6
    client.logout()

    page = public.get(PAGE)
    text = page.content.decode()
    assert page.status_code == 200
    assert "升入优质高中比例" in text and "东城实验中学" in text and "西城育才中学" in text
    for year in ("2023", "2024", "2025"):
        assert year in text
    assert "55.0%" in text and "40.0%" in text  # 121/220 and 40/100
    assert "<svg" in text and text.count('class="bar"') == 6
    assert "<script" not in text and " style=" not in text
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]

    by_district = public.get(PAGE, {"district": city.west.code}).content.decode()
    assert "西城育才中学" in by_district and "东城实验中学" not in by_district
    by_name = public.get(PAGE, {"q": "实验"}).content.decode()
    assert "东城实验中学" in by_name and "西城育才中学" not in by_name
    nothing = public.get(PAGE, {"q": "不存在的学校"}).content.decode()
    assert 'id="chances-none"' in nothing


def test_a_changed_figure_updates_its_year_only(client, city, juniors):
    east, west, _private = juniors
    client.force_login(city.city_admin)
    upload(client, figures(east, west))
    assert upload(client, HEADER + f"{east.code},2025,220,130\n").status_code == 302
    assert HighSchoolEntry.objects.get(school=east, year=2025).quality_entrants == 130
    assert HighSchoolEntry.objects.get(school=east, year=2024).quality_entrants == 105


@pytest.mark.parametrize("bad_row", [
    "{private},2025,100,10",  # a private school is not on the page
    "{east},2025,100,101",  # more entrants than graduates
    "{east},二〇二五,100,10",  # not a year
    "{east},2025,100,10\n{east},2025,100,11",  # the same school and year twice
])
def test_one_bad_row_imports_nothing(client, city, juniors, bad_row):
    east, west, private = juniors
    client.force_login(city.city_admin)
    upload(client, figures(east, west))
    before = snapshot()
    content = HEADER + f"{west.code},2022,100,20\n" + bad_row.format(private=private.code, east=east.code) + "\n"
    page = upload(client, content)
    assert page.status_code == 200 and 'id="import-errors"' in page.content.decode()
    assert snapshot() == before  # not even the good 2022 row


def test_only_the_city_imports(client, city, juniors):
    east, west, _private = juniors
    client.force_login(city.east_reviewer)
    assert upload(client, figures(east, west)).status_code == 403
    assert client.get(reverse("admin:bj_enrollment_highschoolentry_import_template")).status_code == 403
    client.force_login(city.east_school_reviewer)
    assert upload(client, figures(east, west)).status_code == 403
    assert HighSchoolEntry.objects.count() == 0
