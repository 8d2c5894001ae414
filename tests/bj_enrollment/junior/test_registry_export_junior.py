"""R29 for junior high: the admitted students go to the student registry with the data as the school
corrected it after the family's report (R38), the route of admission (R41), and only the user's scope."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import RegistryExport
from apps.bj_enrollment.reports.registry_export import JUNIOR_LAYOUT_VERSION
from apps.bj_enrollment.services.admissions import admit
from apps.lowcode.workflow import engine
from tests import factories
from tests.bj_enrollment.junior.family.test_corrections import correct_in_desk

pytestmark = pytest.mark.django_db


def _rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_corrected_data_of_admitted_students_goes_out_in_scope(client, junior):
    student = factories.put_in_state(junior.east_student, "awaiting_confirmation")
    engine.apply_action(None, student, A.REPORT_CORRECTION, "姓名应为李东桦", system=True)
    client.force_login(junior.east_school_reviewer)
    correct_in_desk(client, student, "按户口簿更正姓名", name="李东桦")  # the Correct data page: the one door
    student.refresh_from_db()
    engine.apply_action(None, student, A.CONFIRM_DATA, system=True)
    admit(junior.east_reviewer, student, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    west = factories.put_in_state(junior.west_student, "confirmed")
    admit(junior.west_reviewer, west, A.ADMIT_BY_REGISTRATION, junior.west_junior)
    not_admitted = factories.student(junior.campaign, junior.east_primary, "未录取", state="confirmed")

    client.force_login(junior.east_reviewer)
    response = client.post(reverse("desk-registry-export"), {"campaign": junior.campaign.pk, "file_format": "xlsx"})
    assert response.status_code == 200
    rows = _rows(response.content)
    header, body = rows[0], rows[1:]
    assert [r[header.index("教育ID")] for r in body] == [student.education_id]
    row = body[0]
    assert row[header.index("学生姓名")] == "李东桦"
    assert row[header.index("入学途径")] == "登记入学"
    assert row[header.index("录取学校名称")] == junior.east_junior.name
    assert row[header.index("毕业学校名称")] == junior.east_primary.name
    cells = {cell for r in rows for cell in r}
    assert west.name not in cells and not_admitted.name not in cells and "李东华" not in cells
    record = RegistryExport.objects.get()
    assert (record.layout_version, record.rows, record.exported_by) == (JUNIOR_LAYOUT_VERSION, 1,
                                                                         junior.east_reviewer)


def test_the_admitting_junior_high_exports_its_admitted_students(client, junior):
    student = factories.put_in_state(junior.east_student, "confirmed")
    admit(junior.east_reviewer, student, A.ADMIT_BY_REGISTRATION, junior.east_junior)
    client.force_login(junior.east_junior_reviewer)
    response = client.post(reverse("desk-registry-export"), {"campaign": junior.campaign.pk, "file_format": "xlsx",
                                                            "school": junior.east_junior.pk})
    assert response.status_code == 200
    rows = _rows(response.content)
    assert [r[rows[0].index("教育ID")] for r in rows[1:]] == [student.education_id]


def test_the_export_page_lists_the_junior_layout_beside_the_primary_one(client, junior):
    """A district exporting its junior-high admissions reads the columns it will get before it exports."""
    from apps.bj_enrollment.reports.registry_export import JUNIOR_COLUMNS, LAYOUT_VERSION

    client.force_login(junior.east_reviewer)
    page = client.get(reverse("desk-registry-export")).content.decode()
    assert f'data-layout="{JUNIOR_LAYOUT_VERSION}"' in page and f'data-layout="{LAYOUT_VERSION}"' in page
    junior_part = page.split(f'data-layout="{JUNIOR_LAYOUT_VERSION}"')[1].split("</section>")[0]
    assert "初中" in junior_part
    for number, (header, _value) in enumerate(JUNIOR_COLUMNS, start=1):
        assert f'{number}.</span> {header}</li>' in junior_part, header  # numbered: the file's column order
