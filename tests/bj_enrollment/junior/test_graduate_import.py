"""Graduates into the junior-high campaign (R37), from a spreadsheet and from the student registry,
as the desk user does it: all or nothing with the bad rows named, idempotent by education ID, and
data the family confirmed never overwritten (listed as conflicts, left as it was). The spreadsheet is
imported by the worker: the upload answers with the progress page, which shows the result once the
queued job has run (tests/bj_enrollment/junior/test_graduate_file_import.py: the worker's side)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from apps.bj_enrollment.models import Student
from apps.bj_enrollment.registries import simulator
from apps.bj_enrollment.rules.identity import make_resident_id
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["教育ID", "姓名", "毕业学校代码", "班级", "证件号码", "出生日期", "性别", "户籍省份", "联系电话",
          "监护人1姓名", "监护人1关系", "监护人1电话"]
BIRTH = dt.date(timezone.localdate().year - 12, 5, 6)


def _row(education_id, name, school, seq, gender="男", mobile="13911110000"):
    number = make_resident_id("110101", BIRTH, seq, "male" if gender == "男" else "female")
    return [education_id, name, school.code, "六年级2班", number, BIRTH.isoformat(), gender, "北京市", mobile,
            f"{name[0]}父", "父亲", mobile]


def _xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


def _upload(client, rows, run_jobs):
    """Upload, let the worker run the queued import, and answer the progress page it redirected to."""
    url = reverse("admin:bj_enrollment_student_import_file")
    started = client.post(url, {"file": SimpleUploadedFile("graduates.xlsx", _xlsx(rows))})
    assert started.status_code == 302
    run_jobs()
    return client.get(started["Location"])


def _snapshot():
    return sorted(Student.objects.values_list("education_id", "name", "mobile", "district_id", "state"))


def test_spreadsheet_import_creates_students_in_the_graduating_schools_district_and_again_changes_nothing(
    client, junior, run_jobs
):
    client.force_login(junior.east_reviewer)
    rows = [_row("G2026000000000101", "周一", junior.east_primary, 11),
            _row("G2026000000000102", "吴二", junior.east_primary, 12, gender="女")]
    response = _upload(client, rows, run_jobs)
    assert response.context["graduate_import"].state == "done"
    created = Student.objects.get(education_id="G2026000000000101")
    assert (created.campaign, created.district, created.graduating_school, created.source, created.state) == (
        junior.campaign, junior.east_primary.district, junior.east_primary, "import", "imported"
    )
    assert list(created.guardians.values_list("name", "relationship", "phone")) == [
        ("周父", "father", "13911110000")]
    assert created.history.count() == 1 and created.history.first().history_user == junior.east_reviewer
    before, history = _snapshot(), Student.history.count()
    again = _upload(client, rows, run_jobs)
    assert (again.context["result"].created, again.context["result"].unchanged) == (0, 2)
    assert _snapshot() == before and Student.history.count() == history


def test_one_bad_row_imports_nothing_and_names_the_row(client, junior, run_jobs):
    client.force_login(junior.east_reviewer)
    before = _snapshot()
    rows = [_row("G2026000000000201", "郑三", junior.east_primary, 21),
            _row("G2026000000000202", "王四", junior.east_primary, 22),
            ["G2026000000000203", "冯五", "1199999999", "六年级2班", "", "", "", "", "", "", "", ""]]
    rows[1][5] = "2014年13月1日"  # not a date
    response = _upload(client, rows, run_jobs)
    assert response.context["graduate_import"].state == "refused"
    errors = response.context["result"].errors
    assert {e.row for e in errors} == {3, 4}
    page = response.content.decode()
    assert 'id="import-errors"' in page and "1199999999" in page and "2014年13月1日" in page
    assert _snapshot() == before


def test_a_school_imports_only_its_own_graduates(client, junior, run_jobs):
    client.force_login(junior.east_school_reviewer)
    rows = [_row("G2026000000000301", "陈六", junior.east_primary, 31),
            _row("G2026000000000302", "褚七", junior.west_primary, 32)]
    before = _snapshot()
    response = _upload(client, rows, run_jobs)
    assert response.context["graduate_import"].state == "refused"
    assert [e.row for e in response.context["result"].errors] == [3]
    assert _snapshot() == before


def test_reimport_lists_confirmed_students_as_conflicts_and_leaves_their_data(client, junior, run_jobs):
    client.force_login(junior.east_reviewer)
    confirmed = factories.student(junior.campaign, junior.east_primary, "卫八", state="confirmed",
                                  education_id="G2026000000000401", mobile="13922220000")
    Student.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now(), confirmation_method="portal")
    open_one = factories.student(junior.campaign, junior.east_primary, "蒋九", state="awaiting_confirmation",
                                 education_id="G2026000000000402")
    confirmed_before = Student.objects.filter(pk=confirmed.pk).values().get()
    guardians_before = list(confirmed.guardians.values_list("name", "phone"))
    rows = [_row(confirmed.education_id, "卫八八", junior.east_primary, 41, mobile="13933330000"),
            _row(open_one.education_id, "蒋九", junior.east_primary, 42, mobile="13944440000")]
    response = _upload(client, rows, run_jobs)
    assert response.context["graduate_import"].state == "done"
    result = response.context["result"]
    assert (result.updated, len(result.conflicts)) == (1, 1)
    assert result.conflicts[0].row == 2 and confirmed.education_id in result.conflicts[0].message
    page = response.content.decode()
    assert 'id="import-conflicts"' in page and confirmed.education_id in page
    assert Student.objects.filter(pk=confirmed.pk).values().get() == confirmed_before
    assert list(confirmed.guardians.values_list("name", "phone")) == guardians_before
    open_one.refresh_from_db()
    assert open_one.mobile == "13944440000"  # not yet confirmed: the registry's newer data wins


def _registry_record(school, seq, name="孔十"):
    return {
        "name": name, "graduating_school": school.code, "graduation_year": timezone.localdate().year,
        "id_type": "resident_id", "id_number": make_resident_id("110101", BIRTH, seq, "male"),
        "birth_date": BIRTH.isoformat(), "gender": "male", "hukou_province": "北京市", "hukou_district": "110101",
        "graduating_class": "六年级3班", "mobile": "13955550000",
        "guardians": [{"name": "孔父", "relationship": "father", "phone": "13955550000"}],
    }


@pytest.fixture
def registry(settings, tmp_path):
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry")}
    yield simulator
    simulator.clear()


def test_registry_outage_after_some_schools_answered_is_pending_not_partial(junior, registry):
    """The first school answers, the second does not: not a single student of the district is written."""
    from apps.bj_enrollment.imports.students import import_from_registry
    from apps.bj_enrollment.registries import RegistryUnavailable, student_registry

    second_school = factories.school(junior.east_primary.district, "东城三小")
    registry.store(registry.STUDENTS, {"G2026000000000701": _registry_record(junior.east_primary, 71)})
    real = student_registry()
    asked = []

    class FailsOnSecondSchool:
        def graduates(self, code, year):
            asked.append(code)
            if code == second_school.code:
                raise RegistryUnavailable("timeout")
            return real.graduates(code, year)

    before = _snapshot()
    result = import_from_registry(junior.campaign, junior.east_primary.district, user=junior.east_reviewer,
                                  registry=FailsOnSecondSchool())
    assert result.pending and len(asked) == 2
    assert _snapshot() == before


def test_command_imports_a_district_and_reports_an_outage(junior, registry):
    registry.store(registry.STUDENTS, {"G2026000000000901": _registry_record(junior.east_primary, 91)})
    year, code = junior.campaign.year, junior.east_primary.district.code
    out = io.StringIO()
    call_command("import_graduates", "--year", str(year), "--district", code, stdout=out)
    assert "created 1" in out.getvalue()
    registry.set_outage(registry.STUDENTS)
    with pytest.raises(CommandError) as raised:
        call_command("import_graduates", "--year", str(year), "--district", code)
    assert raised.value.returncode == 3
