"""The registry import of graduates from the desk, run by the worker through the outbox and the real
queue (R37): the request answers with a progress page, the worker asks the registry for every school,
the page then shows what was created, updated, left unchanged and the conflicts. The page is found only
in the user's scope; an outage writes nothing, leaves the import pending and the outbox tries again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.models import GraduateImport, Student
from apps.bj_enrollment.registries import simulator
from apps.lowcode import jobs
from apps.lowcode.models import OutboxJob
from tests import factories
from tests.bj_enrollment.junior.test_graduate_import import _registry_record, _snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(settings, tmp_path):
    settings.REGISTRY_ADAPTER = "simulator"
    settings.REGISTRY_SETTINGS = {"simulator_dir": str(tmp_path / "registry")}
    yield simulator
    simulator.clear()


def _start(client, junior, district):
    url = reverse("admin:bj_enrollment_student_import_from_registry")
    return client.post(url, {"campaign": junior.campaign.pk, "district": district.pk})


def test_registry_import_runs_in_the_worker_and_the_page_shows_the_result(client, junior, registry, run_jobs):
    second_school = factories.school(junior.east_primary.district, "东城二小")
    confirmed = factories.student(junior.campaign, junior.east_primary, "卫八", state="confirmed",
                                  education_id="G2026000000000500", mobile="13922220000")
    Student.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now(), confirmation_method="portal")
    confirmed_before = Student.objects.filter(pk=confirmed.pk).values().get()
    registry.store(registry.STUDENTS, {
        "G2026000000000500": _registry_record(junior.east_primary, 50, name="卫八八"),  # family confirmed 卫八
        "G2026000000000501": _registry_record(junior.east_primary, 51),
        "G2026000000000502": _registry_record(second_school, 52, name="曹十一"),
        "G2026000000000503": _registry_record(junior.west_primary, 53, name="严十二"),  # another district
    })
    client.force_login(junior.east_reviewer)
    response = _start(client, junior, junior.east_primary.district)
    assert response.status_code == 302
    progress_url = response["Location"]
    waiting = client.get(progress_url)
    assert waiting.status_code == 200
    assert 'http-equiv="refresh"' in waiting.content.decode()  # the page follows the worker by itself
    assert not Student.objects.filter(education_id__in=["G2026000000000501", "G2026000000000502"]).exists()

    run_jobs()

    done = client.get(progress_url)
    row = done.context["graduate_import"]
    assert (row.state, row.created, row.updated, row.unchanged, len(row.conflicts)) == ("done", 2, 0, 0, 1)
    assert (row.schools_done, row.schools_total) == (2, 2)
    page = done.content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'id="graduate-import-counts"' in page and 'id="import-conflicts"' in page
    assert "G2026000000000500" in page
    imported = Student.objects.filter(source="registry", education_id__in=["G2026000000000501", "G2026000000000502",
                                                                            "G2026000000000503"])
    assert sorted(imported.values_list("education_id", "district_id")) == [
        ("G2026000000000501", junior.east_primary.district_id),
        ("G2026000000000502", junior.east_primary.district_id),
    ]
    assert Student.objects.filter(pk=confirmed.pk).values().get() == confirmed_before
    assert OutboxJob.objects.get(func__endswith="graduate_import_jobs.run").state == OutboxJob.State.DONE

    before = _snapshot()
    again = _start(client, junior, junior.east_primary.district)
    run_jobs()
    row = client.get(again["Location"]).context["graduate_import"]
    assert (row.state, row.created, row.updated, row.unchanged, len(row.conflicts)) == ("done", 0, 0, 2, 1)
    assert _snapshot() == before


def test_the_progress_page_is_found_only_in_the_users_scope(client, junior, registry, run_jobs):
    registry.store(registry.STUDENTS, {"G2026000000000511": _registry_record(junior.east_primary, 11)})
    client.force_login(junior.east_reviewer)
    progress_url = _start(client, junior, junior.east_primary.district)["Location"]
    run_jobs()
    assert client.get(progress_url).status_code == 200
    client.force_login(junior.west_reviewer)
    assert client.get(progress_url).status_code == 404
    client.force_login(junior.east_junior_reviewer)  # a school's staff: only its own school's imports
    assert client.get(progress_url).status_code == 404
    client.force_login(junior.city_admin)
    assert client.get(progress_url).status_code == 200


def test_another_district_cannot_be_imported_and_nothing_is_queued(client, junior, registry):
    registry.store(registry.STUDENTS, {"G2026000000000801": _registry_record(junior.west_primary, 81)})
    client.force_login(junior.east_reviewer)
    response = _start(client, junior, junior.west_primary.district)
    assert response.status_code in (200, 403)
    assert not GraduateImport.objects.exists() and not OutboxJob.objects.filter(func__contains="graduate").exists()
    assert not Student.objects.filter(education_id="G2026000000000801").exists()


def test_an_outage_writes_nothing_leaves_the_import_pending_and_the_outbox_tries_again(
    client, junior, registry, run_jobs, queue
):
    second_school = factories.school(junior.east_primary.district, "东城三小")
    registry.store(registry.STUDENTS, {
        "G2026000000000601": _registry_record(junior.east_primary, 61),
        "G2026000000000602": _registry_record(second_school, 62, name="曹六二"),
    })
    registry.set_outage(registry.STUDENTS)
    client.force_login(junior.east_reviewer)
    before = _snapshot()
    progress_url = _start(client, junior, junior.east_primary.district)["Location"]

    run_jobs()

    page = client.get(progress_url)
    assert page.context["graduate_import"].state == "pending"
    assert 'http-equiv="refresh"' in page.content.decode()
    assert "未导入任何数据" in page.content.decode() or "nothing was imported" in page.content.decode()
    assert _snapshot() == before
    outbox = OutboxJob.objects.get(func__endswith="graduate_import_jobs.run")
    assert outbox.state == OutboxJob.State.PENDING and outbox.next_attempt_at > timezone.now()

    registry.end_faults()  # the registry is back; the sweeper sends the job again once it is due
    OutboxJob.objects.filter(pk=outbox.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert jobs.sweep() == 1
    run_jobs()
    row = client.get(progress_url).context["graduate_import"]
    assert (row.state, row.created) == ("done", 2)
    assert Student.objects.filter(education_id__in=["G2026000000000601", "G2026000000000602"]).count() == 2


def test_a_registry_record_that_cannot_be_imported_refuses_the_whole_import(client, junior, registry, run_jobs):
    bad = _registry_record(junior.east_primary, 71)
    bad["mobile"] = "12345"
    registry.store(registry.STUDENTS, {
        "G2026000000000701": _registry_record(junior.east_primary, 70),
        "G2026000000000702": bad,
    })
    client.force_login(junior.east_reviewer)
    before = _snapshot()
    progress_url = _start(client, junior, junior.east_primary.district)["Location"]
    run_jobs()
    page = client.get(progress_url)
    assert page.context["graduate_import"].state == "refused"
    assert 'id="import-errors"' in page.content.decode() and "G2026000000000702" in page.content.decode()
    assert _snapshot() == before


def test_created_and_updated_students_keep_their_history_with_who_imported(client, junior, registry, run_jobs):
    record = _registry_record(junior.east_primary, 91)
    registry.store(registry.STUDENTS, {"G2026000000000901": record})
    client.force_login(junior.east_reviewer)
    _start(client, junior, junior.east_primary.district)
    run_jobs()
    student = Student.objects.get(education_id="G2026000000000901")
    assert list(student.history.values_list("history_type", "history_user")) == [("+", junior.east_reviewer.pk)]
    assert list(student.guardians.values_list("name", "phone")) == [("孔父", "13955550000")]

    record = {**record, "mobile": "13966660000",
              "guardians": [{"name": "孔母", "relationship": "mother", "phone": "13966660000"}]}
    registry.store(registry.STUDENTS, {"G2026000000000901": record})
    row = client.get(_start(client, junior, junior.east_primary.district)["Location"])
    run_jobs()
    row = GraduateImport.objects.get(pk=row.context["graduate_import"].pk)
    assert (row.state, row.created, row.updated) == ("done", 0, 1)
    student.refresh_from_db()
    assert student.mobile == "13966660000"
    assert list(student.guardians.values_list("name", "relationship", "phone")) == [("孔母", "mother", "13966660000")]
    assert [(h.history_type, h.mobile, h.history_user_id) for h in student.history.order_by("history_id")] == [
        ("+", "13955550000", junior.east_reviewer.pk), ("~", "13966660000", junior.east_reviewer.pk)]
