"""#17: the desk's exports are written by a worker: the user watches the progress page, then downloads
the file, which holds only their scope; nobody else can open it, and it expires."""

import csv
import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.bj_enrollment.models import Application
from apps.lowcode import export_jobs
from apps.lowcode.models import ExportFile
from tests import factories
from tests.exports import exported, run_export_jobs

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.STAFF_2FA = False


def _ask(client, action="export_xlsx", ids=()):
    """The whole list ("select all"), as the reviewer's scope gives it."""
    ids = ids or Application.objects.values_list("pk", flat=True)
    return client.post(reverse(LIST), {"action": action, "select_across": "1", "index": "0",
                                       "_selected_action": [str(pk) for pk in ids]})


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads the Chinese text as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_district_reviewer_watches_the_progress_then_downloads_only_their_district(client, city):
    factories.application(city.campaign, factories.child("李小红"), city.east, city.east_school)
    client.force_login(city.east_reviewer)
    asked = _ask(client, "export_csv")
    assert asked.status_code == 302
    page = client.get(asked["Location"])
    assert page.status_code == 200 and page.context["working"] and not page.context["downloadable"]
    assert page.context["export"].state == ExportFile.State.QUEUED

    rows = _csv_rows(exported(client, asked))
    east = set(Application.objects.filter(district=city.east).values_list("form_number", flat=True))
    assert {row[0] for row in rows[1:]} == east and len(rows) == len(east) + 1
    assert city.west_app.form_number not in {row[0] for row in rows}
    done = client.get(asked["Location"])
    assert done.context["downloadable"] and "Refresh" not in done and b"http-equiv" not in done.content
    export = done.context["export"]
    assert (export.rows_total, export.rows_done, export.owner) == (len(east), len(east), city.east_reviewer)


def test_the_excel_file_is_written_by_the_worker_in_the_users_scope(client, city):
    client.force_login(city.east_reviewer)
    book = load_workbook(io.BytesIO(exported(client, _ask(client))), read_only=True)
    numbers = [row[0] for row in book.active.iter_rows(values_only=True)][1:]
    assert numbers == [city.east_app.form_number]


def test_nobody_but_the_requester_opens_the_progress_page_or_the_file(client, city):
    client.force_login(city.city_admin)
    asked = _ask(client, "export_csv")
    assert exported(client, asked)
    download = asked["Location"] + "download/"
    for someone in (city.east_reviewer, factories.staff("root2", "", superuser=True)):
        other = Client()
        other.force_login(someone)
        assert other.get(asked["Location"]).status_code == 404
        assert other.get(download).status_code == 404
    anonymous = Client().get(download)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client.get(download).status_code == 200  # still there for its owner


def test_the_worker_applies_the_owners_scope_of_the_moment(client, city):
    """A reviewer moved to another district before the worker ran gets nothing of the old one."""
    from apps.bj_enrollment.models import StaffScope

    client.force_login(city.east_reviewer)
    asked = _ask(client, "export_csv", ids=[city.east_app.pk])
    StaffScope.objects.filter(user=city.east_reviewer).update(district=city.west)
    rows = _csv_rows(exported(client, asked))
    assert rows[1:] == []


def spying_columns(model):
    """Export columns that look at the export's own progress page while each row is written."""
    return [("form number", "form_number"), ("seen", _progress_seen)]


_SPY = {}


def _progress_seen(obj):
    page = _SPY["client"].get(_SPY["url"])
    _SPY.setdefault("seen", []).append((page.context["working"], page.context["export"].rows_done))
    return "x"


def test_the_progress_page_counts_rows_while_the_worker_writes(client, city, monkeypatch):
    for n in range(4):
        factories.application(city.campaign, factories.child(f"孩子{n}"), city.east, city.east_school)
    client.force_login(city.east_reviewer)
    export = export_jobs.start(city.east_reviewer, Application.objects.order_by("pk"), title="进度",
                               columns="tests.bj_enrollment.test_export_jobs.spying_columns",
                               scope="apps.bj_enrollment.scope.restrict", file_format="csv")
    _SPY.clear()
    _SPY.update(client=client, url=reverse("desk-export", args=[export.key]))
    monkeypatch.setattr(export_jobs, "CHUNK", 2)
    run_export_jobs()
    total = Application.objects.filter(district=city.east).count()
    assert [working for working, _done in _SPY["seen"]] == [True] * total
    assert [done for _working, done in _SPY["seen"]] == [(n // 2) * 2 for n in range(total)]
    page = client.get(_SPY["url"])
    assert page.context["downloadable"] and page.context["export"].rows_done == total


def test_the_file_expires_and_is_purged(client, city):
    client.force_login(city.east_reviewer)
    asked = _ask(client, "export_csv")
    assert exported(client, asked)
    export = ExportFile.objects.get()
    assert default_storage.exists(export.file)
    later = export.expires_at + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = client.get(asked["Location"])
        assert page.context["expired"] and not page.context["downloadable"]
        assert client.get(asked["Location"] + "download/").status_code == 404
        assert export_jobs.purge_expired() == 1
    assert not default_storage.exists(export.file) and not ExportFile.objects.exists()
    assert timezone.now() < later
