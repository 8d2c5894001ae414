"""The graduates' spreadsheet import in the worker (R37, #15): the desk stores the upload privately and
queues the import with the row's id only; the worker reads the file as a stream, checks every row, then
writes all of them or none; the progress page shows the result in the requester's scope. A city's file
may be 50 MB, the other imports keep 5 MB."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.bj_enrollment.choices import StudentSource
from apps.bj_enrollment.imports import students as students_import
from apps.bj_enrollment.models import GraduateImport, Student
from apps.lowcode.models import OutboxJob
from tests import factories
from tests.bj_enrollment.junior.test_graduate_import import HEADER, _row, _snapshot, _xlsx

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:bj_enrollment_student_import_file")
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


def _stored() -> list[str]:
    return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []


def _csv(rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _post(client, content: bytes, name="graduates.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_the_upload_is_stored_privately_and_only_the_rows_id_is_queued_then_the_worker_imports_it(
    client, junior, run_jobs
):
    client.force_login(junior.east_reviewer)
    rows = [_row("G2026000000001001", "周一", junior.east_primary, 101),
            _row("G2026000000001002", "吴二", junior.east_primary, 102, gender="女")]
    started = _post(client, _xlsx(rows))
    assert started.status_code == 302
    row = GraduateImport.objects.get()
    assert (row.source, row.state, row.file_name, row.district, row.requested_by) == (
        "file", "queued", "graduates.xlsx", junior.east_primary.district, junior.east_reviewer)
    assert row.file.startswith("imports/") and default_storage.exists(row.file)
    job = OutboxJob.objects.get(func__endswith="graduate_file_jobs.run")
    assert (job.args, job.kwargs) == ([row.pk], {})  # the file's content never travels in the job
    waiting = client.get(started["Location"])
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.content.decode()
    assert not Student.objects.filter(education_id__startswith="G202600000000100").exists()
    GraduateImport.objects.filter(pk=row.pk).update(state="checking", rows_done=1, rows_total=2)  # mid-way
    assert "已检查 1 行，共约 2 行" in client.get(started["Location"]).content.decode()
    GraduateImport.objects.filter(pk=row.pk).update(state="queued", rows_done=0, rows_total=0)

    run_jobs()

    done = client.get(started["Location"])
    row = done.context["graduate_import"]
    assert (row.state, row.created, row.updated, row.unchanged, row.rows_done, row.rows_total) == (
        "done", 2, 0, 0, 2, 2)
    page = done.content.decode()
    assert 'http-equiv="refresh"' not in page and 'id="graduate-import-counts"' in page
    created = Student.objects.get(education_id="G2026000000001001")
    assert (created.district, created.source, created.history.get().history_user) == (
        junior.east_primary.district, StudentSource.IMPORT, junior.east_reviewer)
    assert row.file == "" and _stored() == []  # the graduates' data is not kept once imported
    assert OutboxJob.objects.get(pk=job.pk).state == OutboxJob.State.DONE


def test_a_gb18030_csv_is_read_as_a_stream_and_a_reimport_changes_nothing(client, junior, run_jobs):
    client.force_login(junior.east_reviewer)
    rows = [_row("G2026000000001101", "郑三", junior.east_primary, 111),
            _row("G2026000000001102", "王四", junior.east_primary, 112)]
    first = _post(client, _csv(rows, "gb18030"), "毕业生.csv")
    run_jobs()
    assert client.get(first["Location"]).context["graduate_import"].created == 2
    assert Student.objects.get(education_id="G2026000000001102").name == "王四"
    before, history = _snapshot(), Student.history.count()

    again = _post(client, _csv(rows, "gb18030"), "毕业生.csv")
    run_jobs()
    row = client.get(again["Location"]).context["graduate_import"]
    assert (row.state, row.created, row.updated, row.unchanged) == ("done", 0, 0, 2)
    assert _snapshot() == before and Student.history.count() == history


def test_a_bad_row_in_a_later_chunk_writes_nothing_and_the_page_names_its_line(
    client, junior, run_jobs, monkeypatch
):
    monkeypatch.setattr(students_import, "CHUNK", 2)  # five rows: three chunks, the bad one in the last
    client.force_login(junior.east_reviewer)
    rows = [_row(f"G202600000000120{n}", f"学生{n}", junior.east_primary, 120 + n) for n in range(4)]
    rows.append(_row("G2026000000001209", "坏行", junior.east_primary, 129, mobile="12345"))
    before = _snapshot()
    started = _post(client, _xlsx(rows))
    run_jobs()
    page = client.get(started["Location"])
    row = page.context["graduate_import"]
    assert (row.state, row.created, row.rows_done) == ("refused", 0, 5)
    assert [e.row for e in page.context["result"].errors] == [6]
    text = page.content.decode()
    assert 'id="import-errors"' in text and "12345" in text
    assert _snapshot() == before and _stored() == []


def test_a_file_with_unknown_columns_or_not_a_workbook_is_refused_on_line_1(client, junior, run_jobs):
    client.force_login(junior.east_reviewer)
    before = _snapshot()
    unknown = _post(client, _csv([["G2026000000001301"]]).replace("教育ID".encode(), "学号X".encode(), 1),
                    "graduates.csv")
    not_a_workbook = _post(client, b"PK\x03\x04 not really a workbook")
    run_jobs()
    for started, words in ((unknown, "学号X"), (not_a_workbook, "Excel")):
        page = client.get(started["Location"])
        assert page.context["graduate_import"].state == "refused"
        errors = page.context["result"].errors
        assert [e.row for e in errors] == [1] and words in errors[0].message
    assert _snapshot() == before


def test_the_graduates_file_may_be_50_mb_and_above_it_is_refused_with_nothing_stored(client, junior, city):
    client.force_login(junior.city_admin)
    assert "不超过 50 MB" in client.get(IMPORT).content.decode()  # the form says the cap
    header = (",".join(HEADER) + "\r\n").encode("utf-8-sig")
    too_large = header + b" " * (50 * MB + 1 - len(header))
    page = _post(client, too_large, "graduates.csv")
    assert page.status_code == 200
    assert "文件超过 50 MB" in page.content.decode()
    assert not GraduateImport.objects.exists() and _stored() == []
    assert not OutboxJob.objects.filter(func__contains="graduate").exists()

    six_mb = header + b" " * (6 * MB)
    assert _post(client, six_mb, "graduates.csv").status_code == 302  # the graduates' import takes it
    school_import = reverse("admin:bj_enrollment_school_import_file")
    refused = client.post(school_import, {"file": SimpleUploadedFile("schools.csv", six_mb)})
    assert refused.status_code == 200 and "文件超过 5 MB" in refused.content.decode()  # other imports keep 5 MB


def test_the_progress_page_is_found_only_in_the_requesters_scope(client, junior, run_jobs):
    client.force_login(junior.east_school_reviewer)
    started = _post(client, _xlsx([_row("G2026000000001401", "陈六", junior.east_primary, 141)]))
    run_jobs()
    url = started["Location"]
    assert client.get(url).context["graduate_import"].state == "done"
    client.force_login(junior.east_reviewer)  # the school's district
    assert client.get(url).status_code == 200
    client.force_login(junior.west_reviewer)
    assert client.get(url).status_code == 404
    client.force_login(junior.east_junior_reviewer)  # another school of the district
    assert client.get(url).status_code == 404
    client.force_login(junior.city_admin)
    assert client.get(url).status_code == 200

    client.force_login(junior.city_admin)  # the city's own file: no district, the city sees it
    city_file = _post(client, _xlsx([_row("G2026000000001402", "褚七", junior.west_primary, 142)]))
    run_jobs()
    assert client.get(city_file["Location"]).context["graduate_import"].created == 1
    client.force_login(junior.west_reviewer)
    assert client.get(city_file["Location"]).status_code == 404


def test_a_student_changed_between_checking_and_writing_refuses_the_import_and_rolls_back(junior, monkeypatch):
    """Every row is checked, then all are written in one transaction, each chunk checked again against the
    database: a student moved to another district meanwhile (here as the import turns from checking to
    writing) refuses the import, and nothing the earlier chunks wrote stays."""
    monkeypatch.setattr(students_import, "CHUNK", 2)  # five rows: the moved student's in the third chunk
    moved = factories.student(junior.campaign, junior.east_primary, "魏十", education_id="G2026000000001509")
    new_ids = [f"G202600000000150{n}" for n in range(4)]
    rows = [{"education_id": eid, "name": f"学生{n}", "graduating_school": junior.east_primary.code}
            for n, eid in enumerate(new_ids)]
    rows.append({"education_id": moved.education_id, "name": "魏十", "graduating_school": junior.east_primary.code})

    def progress(state, done):
        if state == "writing":  # a transfer moved the student after the first pass
            Student.objects.filter(pk=moved.pk).update(district=junior.west_primary.district)

    result = students_import.import_students(rows, user=junior.east_reviewer, campaign=junior.campaign,
                                             progress=progress)
    assert [e.row for e in result.errors] == [6] and moved.education_id in result.errors[0].message
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not Student.objects.filter(education_id__in=new_ids).exists()


def test_more_bad_rows_than_listed_are_counted(junior, monkeypatch):
    monkeypatch.setattr(students_import, "MAX_LISTED", 3)
    rows = [{"education_id": f"X{n}", "name": "无效", "graduating_school": "1"} for n in range(5)]
    result = students_import.import_students(rows, user=None, campaign=junior.campaign)
    assert [e.row for e in result.errors] == [2, 3, 4] and result.errors_left_off == 2


def test_the_worker_reads_a_csv_without_holding_it(tmp_path):
    """dataimport.SpreadsheetRows reads the file again on each pass and yields one row at a time."""
    from apps.lowcode.dataimport import SpreadsheetRows

    path = tmp_path / "g.csv"
    path.write_bytes(_csv([["G1", "甲", "1101010001"], ["G2", "乙", "1101010001"]]))
    table = SpreadsheetRows(path, students_import.COLUMNS, students_import.REQUIRED)
    rows = iter(table)
    assert next(rows)["name"] == "甲" and table.size == 2
    assert [r["education_id"] for r in table] == ["G1", "G2"]  # a second pass, from the start
