"""R19 through the real job path: the portal's submit enqueues, an RQ worker runs the check, and the
workflow engine moves the application as the system."""

import datetime as dt
import logging

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from rq.job import JobStatus

from apps.bj_enrollment.choices import ApplicationState, Gender, HukouCategory
from apps.bj_enrollment.registries import checks
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.registries import records

pytestmark = pytest.mark.django_db


def _pending(city, app=None):
    """An application waiting for its identity check, its properties known to the registry."""
    app = factories.put_in_state(app or city.east_app, ApplicationState.IDENTITY_CHECK)
    records.store_certificates(app)
    return app


def _nonlocal(city):
    child = factories.child("钱多多", region="130102", gender=Gender.FEMALE)
    child.hukou_province = "河北省"
    child.save()
    app = factories.application(
        city.campaign, child, city.east, city.east_school, state=ApplicationState.IDENTITY_CHECK, mobile="13700002222"
    )
    app.hukou_category = HukouCategory.NONLOCAL
    app.save()
    records.store_certificates(app)
    records.store_permit(app, timezone.localdate() - dt.timedelta(days=3 * 365))
    return app


def _start(app, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        checks.start_identity_check(app)


def _last_record(app):
    return TransitionRecord.objects.filter(object_id=str(app.pk)).latest("pk")


def test_identity_check_local_child_verified_to_ready_to_print(
    city, registry, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = _pending(city)
    records.store_person(app.child)
    _start(app, django_capture_on_commit_callbacks)
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.READY_TO_PRINT
    record = _last_record(app)
    assert (record.action, record.user) == (checks.VERIFIED_LOCAL, None)


def test_identity_check_nonlocal_child_verified_to_five_certificate_review(
    city, registry, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = _nonlocal(city)
    records.store_person(app.child)
    _start(app, django_capture_on_commit_callbacks)
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.FIVE_CERTIFICATE_REVIEW
    assert _last_record(app).action == checks.VERIFIED_NONLOCAL


def test_identity_check_mismatch_fails_with_reasons(
    city, registry, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = _pending(city)
    records.store_person(app.child, name="李冬冬", gender=Gender.FEMALE)
    _start(app, django_capture_on_commit_callbacks)
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_FAILED
    record = _last_record(app)
    assert record.action == checks.FAILED
    assert record.reason == gettext(checks.NAME_MISMATCH) + "\n" + gettext(checks.GENDER_MISMATCH)


def test_identity_check_hukou_mismatch_fails(city, registry):
    app = _pending(city)
    records.store_person(app.child, hukou_province="河北省", hukou_district="")
    assert checks.run_identity_check(app.pk) == "failed"
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_FAILED
    assert _last_record(app).reason == gettext(checks.HUKOU_MISMATCH)


def test_identity_check_unknown_person_fails(city, registry):
    app = _pending(city)
    assert checks.run_identity_check(app.pk) == "failed"
    assert _last_record(app).reason == gettext(checks.PERSON_NOT_FOUND)


def test_identity_check_outage_stays_pending_and_retries(
    city, registry, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = _pending(city)
    records.store_person(app.child)
    registry.set_outage(registry.POPULATION)
    _start(app, django_capture_on_commit_callbacks)
    (job_id,) = queue.job_ids
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_CHECK
    job = queue.fetch_job(job_id)
    assert job.get_status() == JobStatus.SCHEDULED
    assert job.retries_left == 4
    assert job_id in queue.scheduled_job_registry.get_job_ids()
    assert not TransitionRecord.objects.filter(object_id=str(app.pk), action=checks.FAILED).exists()

    # recovery: the registry answers again when the scheduled retry comes due
    registry.end_faults()
    queue.scheduled_job_registry.remove(job)
    queue.enqueue_job(job)
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.READY_TO_PRINT
    assert queue.fetch_job(job_id).get_status() == JobStatus.FINISHED


def test_identity_check_outage_after_last_attempt_left_pending_and_logged(
    city, registry, settings, queue, run_jobs, django_capture_on_commit_callbacks, caplog
):
    settings.REGISTRY_SETTINGS = {**settings.REGISTRY_SETTINGS, "retry_intervals": [0] * 5}
    app = _pending(city)
    registry.set_outage()
    _start(app, django_capture_on_commit_callbacks)
    (job_id,) = queue.job_ids
    with caplog.at_level(logging.WARNING, logger="apps.bj_enrollment.registries.checks"):
        run_jobs()
    job = queue.fetch_job(job_id)
    assert (job.get_status(), job.retries_left) == (JobStatus.FINISHED, 0)  # no attempt left, and no failure
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_CHECK
    assert f"identity check of application {app.form_number} left pending" in caplog.text


def test_requeue_stale_identity_checks_verifies_after_recovery(
    city, registry, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = _pending(city)
    records.store_person(app.child)
    recent = _pending(city, city.west_app)
    records.store_person(recent.child)
    type(app).objects.filter(pk=app.pk).update(updated_at=app.updated_at - dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert checks.requeue_stale_identity_checks(dt.timedelta(hours=1)) == 1
    run_jobs()
    app.refresh_from_db()
    recent.refresh_from_db()
    assert app.state == ApplicationState.READY_TO_PRINT
    assert recent.state == ApplicationState.IDENTITY_CHECK


def test_identity_check_skips_application_no_longer_pending(city, registry):
    records.store_person(city.east_app.child)
    assert checks.run_identity_check(city.east_app.pk) == "skipped"
    city.east_app.refresh_from_db()
    assert city.east_app.state == ApplicationState.READY_TO_PRINT
