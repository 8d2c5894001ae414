"""#17: the information-collection form is rendered once per version of what it shows, stored, and
served again from storage; any change to what it shows renders it anew; the print gate comes first;
on a site with Redis the print worker renders it, never the web request."""

import datetime as dt
import sys
from io import BytesIO
from unittest import mock

import django_rq
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rq import SimpleWorker

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import HukouCategory, Stage
from apps.bj_enrollment.models import Application, CampaignWindow
from apps.lowcode.models import OutboxJob
from apps.lowcode.printing import service, stored
from apps.lowcode.printing.models import PrintFailure, PrintFormat
from tests.bj_enrollment.portal.test_status import PASSWORD, _login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


@pytest.fixture
def renders():
    """Counts WeasyPrint runs: the PDF layout step every rendering goes through."""
    with mock.patch.object(service, "_write_pdf", wraps=service._write_pdf) as counted:
        yield counted


@pytest.fixture
def family(client, city):
    return _login(client, city.east_app, S.READY_TO_PRINT)


def _print(client):
    return client.get(reverse("portal:print"))


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.status_code
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def _stored_files(app) -> list[str]:
    folder = f"{stored.FOLDER}/bj_enrollment.application/{app.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_second_print_is_served_from_storage_without_rendering(client, family, renders):
    first = _print(client)
    assert family.child.name in _text(first) and renders.call_count == 1
    second = _print(client)
    assert second.content == first.content and renders.call_count == 1
    assert len(_stored_files(family)) == 1


def test_a_change_to_the_family_data_renders_a_new_version_and_drops_the_old(client, family, renders):
    before = _text(_print(client))
    family.child.name = "张新名"
    family.child.save(update_fields=["name"])
    after = _text(_print(client))
    assert renders.call_count == 2 and "张新名" in after and "张新名" not in before
    assert len(_stored_files(family)) == 1  # the older version is gone
    _print(client)
    assert renders.call_count == 2


def test_a_guardian_change_renders_anew(client, family, renders):
    _print(client)
    guardian = family.guardians.order_by("position").first()
    guardian.phone = "13700001234"
    guardian.save(update_fields=["phone"])
    assert "13700001234" in _text(_print(client)) and renders.call_count == 2


def test_editing_the_print_format_renders_anew(client, family, renders):
    _print(client)
    print_format = PrintFormat.objects.get(document_type__model="application", is_default=True)
    print_format.template += "<p>学校留存联</p>"
    print_format.save()
    assert "学校留存联" in _text(_print(client)) and renders.call_count == 2
    print_format.css += "\nbody { color: #111; }"
    print_format.save()
    _print(client)
    assert renders.call_count == 3


def test_the_material_number_issued_later_renders_anew(client, family, renders):
    Application.objects.filter(pk=family.pk).update(hukou_category=HukouCategory.NONLOCAL, material_number="")
    _print(client)
    Application.objects.filter(pk=family.pk).update(material_number="CLDC202600042")
    assert "CLDC202600042" in _text(_print(client)) and renders.call_count == 2


def test_the_gate_comes_before_the_store_when_the_state_changes(client, family, renders):
    _print(client)
    Application.objects.filter(pk=family.pk).update(state=S.CANCELLED)
    refused = _print(client)
    assert refused.status_code == 302 and refused["Location"] == reverse("portal:home")
    assert renders.call_count == 1
    Application.objects.filter(pk=family.pk).update(state=S.PRE_ADMITTED)
    assert _print(client)["Content-Type"] == "application/pdf" and renders.call_count == 1  # same form, same file


def test_moving_the_results_date_later_hides_the_stored_form_again(client, family, renders):
    """R20: a non-local family printed after the results date; the district then moves the date later:
    the stored form (which carries the material number) is not handed out until the new date."""
    Application.objects.filter(pk=family.pk).update(hukou_category=HukouCategory.NONLOCAL,
                                                    material_number="CLDC202600007")
    now = timezone.now()
    window, _created = CampaignWindow.objects.update_or_create(
        campaign=family.campaign, stage=Stage.FIVE_CERTIFICATE_RESULTS, district=None,
        defaults={"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=30)},
    )
    assert "CLDC202600007" in _text(_print(client))
    window.opens_at = now + dt.timedelta(days=2)
    window.save()
    refused = _print(client)
    assert refused.status_code == 302 and b"CLDC202600007" not in refused.content
    assert renders.call_count == 1 and len(_stored_files(family)) == 1


def test_a_parent_never_receives_another_familys_stored_form(client, city, renders):
    mine = _login(client, city.east_app, S.READY_TO_PRINT)
    other = Client()
    theirs = _login(other, city.west_app, S.READY_TO_PRINT)
    mine_text, theirs_text = _text(_print(client)), _text(_print(other))
    assert mine.form_number in mine_text and theirs.form_number not in mine_text
    assert theirs.form_number in theirs_text and mine.form_number not in theirs_text
    assert _text(_print(client)) == mine_text and _text(_print(other)) == theirs_text
    assert renders.call_count == 2


def test_the_key_covers_the_context_but_not_the_print_time(city):
    app = Application.objects.get(pk=city.east_app.pk)
    first = stored.version_of(app)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(hours=3)):
        later = stored.version_of(app)
    assert later.context["generated_at"] != first.context["generated_at"] and later.key == first.key
    app.remarks = "需要无障碍通道"
    assert stored.version_of(app).key != first.key


# --- the print worker's path (a site with Redis) -------------------------------------------------


@pytest.fixture
def print_queue(settings):
    settings.PRINT_IN_PROCESS = False
    settings.PRINT_WAIT_SECONDS = 0  # nothing renders while the test's request waits
    queue = django_rq.get_queue("print")
    queue.empty()
    yield queue
    queue.empty()


def _work(queue) -> None:
    """What the print process does: take the job the request queued (after its commit) and run it."""
    pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


class _NoWeasyPrint:
    """An import hook that records any attempt to import WeasyPrint and refuses it."""

    def __init__(self):
        self.attempts = []

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "weasyprint":
            self.attempts.append(name)
            raise ImportError(f"{name} imported in the web process")
        return None


def test_the_web_request_queues_the_rendering_and_never_loads_weasyprint(client, family, print_queue,
                                                                          monkeypatch, renders):
    guard = _NoWeasyPrint()
    for name in [n for n in sys.modules if n.split(".")[0] == "weasyprint"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [guard, *sys.meta_path])
    waiting = _print(client)
    again = _print(client)  # a second request while it renders queues nothing more
    monkeypatch.undo()
    assert guard.attempts == [] and renders.call_count == 0
    assert waiting.status_code == 202 and "正在生成，请稍候" in waiting.content.decode()
    assert waiting["Refresh"] == "2" and again.status_code == 202
    assert OutboxJob.objects.filter(func="apps.lowcode.printing.jobs.store_pdf_job", queue="print").count() == 1

    _work(print_queue)
    assert renders.call_count == 1
    assert family.child.name in _text(_print(client))
    assert renders.call_count == 1


def test_the_api_answers_202_while_the_worker_renders(family, print_queue):
    api = Client()
    token = api.post("/api/v1/tokens", {"username": family.form_number, "password": PASSWORD},
                     content_type="application/json").json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    waiting = api.get("/api/v1/application/form.pdf", **headers)
    assert waiting.status_code == 202 and waiting["Retry-After"] == "2"
    assert waiting.json()["status"] == "pending"
    _work(print_queue)
    ready = api.get("/api/v1/application/form.pdf", **headers)
    assert ready.status_code == 200 and family.form_number in _text(ready)


def test_a_rendering_that_fails_in_the_worker_reaches_the_family_as_a_message(client, family, print_queue):
    print_format = PrintFormat.objects.get(document_type__model="application", is_default=True)
    PrintFormat.objects.filter(pk=print_format.pk).update(template="{{ child.name.nope() }}")  # past the save check
    assert _print(client).status_code == 202
    _work(print_queue)
    refused = client.get(reverse("portal:print"), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("portal:home")
    assert "信息采集表暂时无法生成" in refused.content.decode()
    assert PrintFailure.objects.filter(object_id=str(family.pk)).count() == 1
