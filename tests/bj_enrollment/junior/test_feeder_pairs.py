"""Feeder pairs (对口直升) through the desk's spreadsheet import: a district administrator's own schools
only, all rows or none, and a second import of the same file changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.bj_enrollment import roles
from apps.bj_enrollment.models import FeederPair
from tests import factories

pytestmark = pytest.mark.django_db


def _upload(client, rows):
    book = Workbook()
    book.active.append(["小学学校代码", "初中学校代码", "名额"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("admin:bj_enrollment_feederpair_import_file")
    return client.post(url, {"file": SimpleUploadedFile("pairs.xlsx", buffer.getvalue())})


@pytest.fixture
def east_admin(junior):
    return factories.staff("east-admin", roles.DISTRICT_ADMIN, district_=junior.east_primary.district)


def _pairs():
    return sorted(FeederPair.objects.values_list("primary_school__code", "junior_school__code", "places"))


def test_district_admin_imports_pairs_and_again_changes_nothing(client, junior, east_admin):
    client.force_login(east_admin)
    second = factories.school(junior.east_primary.district, "东城二小")
    rows = [[junior.east_primary.code, junior.east_junior.code, "40"], [second.code, junior.east_junior.code, ""]]
    assert _upload(client, rows).status_code == 302
    assert _pairs() == sorted([(junior.east_primary.code, junior.east_junior.code, 40),
                               (second.code, junior.east_junior.code, None)])
    assert all(p.campaign == junior.campaign for p in FeederPair.objects.all())
    assert _upload(client, rows).status_code == 302
    assert FeederPair.objects.count() == 2


def test_one_bad_row_or_another_districts_school_imports_nothing(client, junior, east_admin):
    client.force_login(east_admin)
    rows = [[junior.east_primary.code, junior.east_junior.code, "40"],
            [junior.east_primary.code, junior.west_junior.code, ""],  # another district's junior high
            [junior.east_junior.code, junior.east_junior.code, ""]]  # not a primary school
    response = _upload(client, rows)
    assert response.status_code == 200
    assert [e.row for e in response.context["result"].errors] == [3, 4]
    assert _pairs() == []


def test_a_reviewer_may_not_import_pairs(client, junior):
    client.force_login(junior.east_reviewer)
    assert _upload(client, [[junior.east_primary.code, junior.east_junior.code, ""]]).status_code == 403
    assert _pairs() == []
