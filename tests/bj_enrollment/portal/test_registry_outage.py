"""Issue #13 faults 6 and 7, injected through the registry simulator: a slow or failing registry
answers the family within the request's deadline with the details saved and the check pending,
holds no lock another family of the district waits for, and never lets an application move past a
check that did not run; once the registry is back the scheduled re-check decides."""

import datetime as dt
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import ApplicationState, HousingType, HukouCategory, RegistryStatus
from apps.bj_enrollment.models import Application, Guardian, Street
from apps.bj_enrollment.registries import checks, simulator
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.api_tokens import logged_in
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.registries import records

PASSWORD = "Parent2026ok"
BUSY = "登记信息已保存，核验系统繁忙，我们会自动重新核验。"
SLOW_CALL, DEADLINE = 6.0, 2.5


def _months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    total = today.year * 12 + today.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, min(today.day, 28))


def _ready_to_submit(city, app, *, permit_on_registry: dt.date) -> Application:
    """A non-local family with an owned home, details complete (permit entered as 3 years old), and
    the registries knowing the child, the certificate and a permit held since `permit_on_registry`."""
    street = Street.objects.get_or_create(district=city.east, name="东四街道", defaults={"code": "110101003"})[0]
    Application.objects.filter(pk=app.pk).update(
        state=ApplicationState.REGISTERED,
        hukou_category=HukouCategory.NONLOCAL,
        residence_district=city.east,
        residence_street=street,
        residence_address="东四十条1号院2号楼301",
        housing_type=HousingType.OWNED,
        single_guardian=True,
    )
    Guardian.objects.filter(application=app, position=1).update(relationship="father")
    app = Application.objects.get(pk=app.pk)
    records.store_person(app.child, hukou_province="河北省", hukou_district="")
    records.store_certificates(app)
    records.store_permit(app, permit_on_registry)
    Guardian.objects.filter(application=app, position=1).update(residence_permit_since=_months_ago(36))
    user = User.objects.create_user(app.form_number, password=PASSWORD)
    Application.objects.filter(pk=app.pk).update(account=user)
    return Application.objects.get(pk=app.pk)


def _submit(client, auth):
    return client.post("/api/v1/application/submission", {}, content_type="application/json", **auth)


@pytest.mark.django_db(transaction=True)
def test_submit_slow_registry_answered_within_deadline_and_district_not_blocked(city, settings, run_jobs):
    settings.REGISTRY_SETTINGS = {**settings.REGISTRY_SETTINGS, "request_deadline": DEADLINE}
    settings.STAFF_2FA = False  # the reviewer's second factor is not what this test is about
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(36))
    other = factories.application(
        city.campaign, factories.child("孙南南"), city.east, state=ApplicationState.FIVE_CERTIFICATE_REVIEW
    )
    auth = logged_in(Client(), family.form_number, PASSWORD)
    simulator.set_fault(simulator.REAL_ESTATE, simulator.RESIDENCE_PERMITS, delay=SLOW_CALL)
    started, moments, responses = threading.Event(), {}, {}

    def family_submits():
        moments["family_start"] = time.monotonic()
        started.set()
        try:
            responses["family"] = _submit(Client(), auth)
        finally:
            moments["family_end"] = time.monotonic()
            connection.close()

    def reviewer_approves_other_family():
        started.wait(5)
        time.sleep(0.3)  # the family's request is now waiting on the slow registry
        reviewer = Client()
        reviewer.force_login(city.east_reviewer)
        url = reverse("admin:bj_enrollment_application_workflow_action", args=[other.pk])
        try:  # the material number locks the district row (R4/R20)
            responses["other"] = reviewer.post(url, {"action": actions.APPROVE, "reason": "", "state": other.state})
        finally:
            moments["other_end"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=family_submits), threading.Thread(target=reviewer_approves_other_family)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    answer = responses["family"]
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"ok": True, "checks_pending": True, "message": BUSY}
    took = moments["family_end"] - moments["family_start"]
    assert took < DEADLINE + 2.5 < SLOW_CALL, moments  # waiting for the two slow registries takes 12 s
    # The other family's approval was done while this family's request still waited on the registry:
    # had the request held a lock on the district meanwhile, the approval would have waited for it.
    assert responses["other"].status_code == 302
    assert moments["other_end"] - moments["family_start"] < DEADLINE, moments
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK and family.details_confirmed_at is not None
    assert family.properties.get().registry_status == RegistryStatus.PENDING
    other.refresh_from_db()
    assert other.state == ApplicationState.READY_TO_PRINT and other.material_number


@pytest.mark.django_db
def test_submit_failing_registry_check_stays_pending_then_recheck_refuses_short_permit(
    city, client, run_jobs, django_capture_on_commit_callbacks
):
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(2))
    auth = logged_in(client, family.form_number, PASSWORD)
    simulator.set_fault(simulator.REAL_ESTATE, simulator.RESIDENCE_PERMITS, status=500)

    answer = _submit(client, auth)
    assert answer.status_code == 200 and answer.json()["checks_pending"] is True
    run_jobs()  # the identity check: the population registry answers, the others still fail
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK  # not the five-certificate review
    assert family.properties.get().registry_status == RegistryStatus.PENDING
    assert not TransitionRecord.objects.filter(object_id=str(family.pk)).exclude(action=actions.SUBMIT).exists()

    simulator.end_faults()  # the registries are back: the scheduler's re-check asks again
    with django_capture_on_commit_callbacks(execute=True):
        assert checks.requeue_stale_identity_checks(dt.timedelta(0)) == 1
    run_jobs()
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_FAILED
    record = TransitionRecord.objects.filter(object_id=str(family.pk)).latest("pk")
    assert record.action == actions.IDENTITY_FAILED and record.user is None
    assert "至少需要12个月" in record.reason
    assert family.properties.get().registry_status == RegistryStatus.VERIFIED


@pytest.mark.django_db
def test_submit_registries_answering_checks_not_pending(city, client, run_jobs):
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(36))
    answer = _submit(client, logged_in(client, family.form_number, PASSWORD))
    assert answer.json() == {"ok": True, "checks_pending": False, "message": ""}
    assert family.properties.get().registry_status == RegistryStatus.VERIFIED
    run_jobs()
    family.refresh_from_db()
    assert family.state == ApplicationState.FIVE_CERTIFICATE_REVIEW


@pytest.mark.django_db
def test_details_page_tells_family_registry_busy_in_chinese(city, client, run_jobs):
    family = _ready_to_submit(city, city.east_app, permit_on_registry=_months_ago(36))
    client.post(reverse("portal:login"), {"username": family.form_number, "password": PASSWORD})
    simulator.set_outage(simulator.REAL_ESTATE)
    page = client.get(reverse("portal:details"))
    submit_details(client, _form_values(page))
    assert BUSY in client.get(reverse("portal:home")).content.decode()
    family.refresh_from_db()
    assert family.state == ApplicationState.IDENTITY_CHECK
    assert family.properties.get().registry_status == RegistryStatus.PENDING


def _form_values(page) -> dict:
    """What the details page shows filled in, as the browser would post it back."""
    values = {}
    for form in page.context["forms"].values():
        for name in form.fields:
            value = form[name].value()
            if value in (None, "", False):
                continue
            key = form.add_prefix(name)
            values[key] = "on" if value is True else getattr(value, "isoformat", lambda v=value: v)()
    return values
