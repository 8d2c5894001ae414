"""R20: a five-certificate decision reaches the parent only from the district's results date."""

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import HukouCategory, Stage
from apps.bj_enrollment.models import Application, CampaignWindow
from apps.lowcode import jobs
from apps.lowcode.messaging import sending
from apps.lowcode.messaging.backends import locmem
from apps.lowcode.messaging.models import MessageLog, Status
from tests import factories
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.test_status import _login

pytestmark = pytest.mark.django_db


@pytest.fixture
def results_in_two_days(city):
    now = timezone.now()
    CampaignWindow.objects.update_or_create(
        campaign=city.campaign, stage=Stage.FIVE_CERTIFICATE_RESULTS, district=None,
        defaults={"opens_at": now + dt.timedelta(days=2), "closes_at": now + dt.timedelta(days=30)},
    )
    Application.objects.filter(pk=city.east_app.pk).update(hukou_category=HukouCategory.NONLOCAL)
    return city


@pytest.mark.parametrize("state", [S.READY_TO_PRINT, S.FIVE_CERTIFICATE_REJECTED])
def test_before_the_date_the_parent_sees_the_review_under_way(client, results_in_two_days, state):
    _login(client, results_in_two_days.east_app, state)
    home = client.get(reverse("portal:home"))
    steps = {s.key: s.status for s in home.context["steps"]}
    assert steps[S.FIVE_CERTIFICATE_REVIEW] == "current" and not home.context["can_print"]
    printed = client.get(reverse("portal:print"), follow=True)
    assert printed.redirect_chain[-1][0] == reverse("portal:home")  # no form, no material number
    status = client.get("/api/v1/application").json()
    assert status["state"] == S.FIVE_CERTIFICATE_REVIEW


def test_from_the_date_the_decision_shows(client, results_in_two_days):
    CampaignWindow.objects.filter(stage=Stage.FIVE_CERTIFICATE_RESULTS).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    _login(client, results_in_two_days.east_app, S.READY_TO_PRINT)
    home = client.get(reverse("portal:home"))
    assert {s.key: s.status for s in home.context["steps"]}[S.FIVE_CERTIFICATE_REVIEW] == "done"
    assert home.context["can_print"]
    assert client.get("/api/v1/application").json()["state"] == S.READY_TO_PRINT


def test_local_hukou_is_never_held_back(client, results_in_two_days):
    Application.objects.filter(pk=results_in_two_days.east_app.pk).update(hukou_category=HukouCategory.LOCAL)
    _login(client, results_in_two_days.east_app, S.READY_TO_PRINT)
    assert client.get(reverse("portal:home")).context["can_print"]


# A district reviewer decides in the desk; the family looks through every surface; the SMS waits.


def _decide(city, action, reason=""):
    """The district reviewer applies the action through the desk, as a person does."""
    desk = Client()
    desk.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk])
    response = desk.post(url, {"action": action, "reason": reason, "state": S.FIVE_CERTIFICATE_REVIEW})
    assert response.status_code == 302
    return Application.objects.get(pk=city.east_app.pk)


def _family_sees(client, app):
    """What home, status API, both PDFs and the result card tell the parent: (state, texts)."""
    home = client.get(reverse("portal:home"))
    status = client.get("/api/v1/application")
    steps = {s.key: s.status for s in home.context["steps"]}
    texts = home.content.decode() + status.content.decode()
    portal_pdf = client.get(reverse("portal:print"))
    api_pdf = client.get("/api/v1/application/form.pdf")
    printed = portal_pdf.status_code == 200 and api_pdf.status_code == 200
    assert printed or (portal_pdf.status_code == 302 and api_pdf.status_code == 400)
    return status.json()["state"], steps[S.FIVE_CERTIFICATE_REVIEW], printed, texts


@pytest.fixture
def decision(client, results_in_two_days, run_jobs, settings):
    settings.SMS_ADAPTER = "locmem"
    settings.STAFF_2FA = False  # the second factor is not what these tests are about
    locmem.outbox.clear()
    _login(client, results_in_two_days.east_app, S.FIVE_CERTIFICATE_REVIEW)
    return results_in_two_days


def _results_date(city):
    return city.campaign.window(Stage.FIVE_CERTIFICATE_RESULTS, city.east).opens_at


def test_approval_before_the_date_is_hidden_everywhere_and_its_sms_waits_for_the_date(client, decision, run_jobs):
    city = decision
    app = _decide(city, actions.APPROVE)
    assert app.state == S.READY_TO_PRINT and app.material_number  # decided and numbered in the database
    state, step, printed, texts = _family_sees(client, app)
    assert (state, step, printed) == (S.FIVE_CERTIFICATE_REVIEW, "current", False)
    assert app.material_number not in texts
    run_jobs()
    assert sms.texts_to(app.mobile) == []
    (log,) = MessageLog.objects.filter(document_id=str(app.pk), event=f"action:{actions.APPROVE}")
    assert (log.status, log.not_before) == (Status.QUEUED, _results_date(city))
    desk = Client()
    desk.force_login(factories.staff("root", "", superuser=True))
    listed = desk.get(reverse("admin:lowcode_messaging_messagelog_changelist")).content.decode()
    assert date_format(localtime(log.not_before), "Y-m-d H:i") in listed  # "held until …"
    assert jobs.sweep() == 0

    with mock.patch("django.utils.timezone.now", return_value=_results_date(city) + dt.timedelta(seconds=30)):
        assert jobs.sweep() == 1
        run_jobs()
        (text,) = sms.texts_to(app.mobile)
        assert f"在京借读材料编号为{app.material_number}" in text
        assert MessageLog.objects.get(pk=log.pk).status == Status.SENT
        jobs.sweep()
        run_jobs()
        assert len(sms.texts_to(app.mobile)) == 1  # once
        state, step, printed, texts = _family_sees(client, app)
        assert (state, step, printed) == (S.READY_TO_PRINT, "done", True)  # the form carries the number


def test_rejection_before_the_date_is_hidden_everywhere_and_its_sms_waits_for_the_date(client, decision, run_jobs):
    city = decision
    app = _decide(city, actions.REJECT, "居住证已过期")
    assert app.state == S.FIVE_CERTIFICATE_REJECTED
    state, step, printed, texts = _family_sees(client, app)
    assert (state, step, printed) == (S.FIVE_CERTIFICATE_REVIEW, "current", False)
    assert "居住证已过期" not in texts
    run_jobs()
    assert sms.texts_to(app.mobile) == []
    assert MessageLog.objects.get(document_id=str(app.pk), event=f"state:{S.FIVE_CERTIFICATE_REJECTED}").held()

    with mock.patch("django.utils.timezone.now", return_value=_results_date(city) + dt.timedelta(seconds=30)):
        assert jobs.sweep() == 1
        run_jobs()
        (text,) = sms.texts_to(app.mobile)
        assert "未通过" in text and "居住证已过期" in text
        state, step, printed, texts = _family_sees(client, app)
        assert (state, step, printed) == (S.FIVE_CERTIFICATE_REJECTED, "refused", False)
        assert "居住证已过期" in texts


def test_after_the_date_the_approval_sms_goes_at_once(client, decision, run_jobs):
    city = decision
    CampaignWindow.objects.filter(stage=Stage.FIVE_CERTIFICATE_RESULTS).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    app = _decide(city, actions.APPROVE)
    run_jobs()
    (text,) = sms.texts_to(app.mobile)
    assert f"在京借读材料编号为{app.material_number}" in text
    assert MessageLog.objects.get(document_id=str(app.pk), event=f"action:{actions.APPROVE}").not_before is None


def test_a_held_message_queued_again_early_still_waits(decision, run_jobs):
    """The desk's retry and the hourly safety net hand a held message to a worker: it waits again."""
    city = decision
    app = _decide(city, actions.APPROVE)
    log = MessageLog.objects.get(document_id=str(app.pk), event=f"action:{actions.APPROVE}")
    assert sending.requeue_stuck(older_than=dt.timedelta(0)) == 0
    sending.enqueue_delivery(log.pk)  # as a retry would, without its time
    run_jobs()
    assert sms.texts_to(app.mobile) == [] and MessageLog.objects.get(pk=log.pk).held()
    with mock.patch("django.utils.timezone.now", return_value=_results_date(city) + dt.timedelta(seconds=30)):
        jobs.sweep()
        run_jobs()
    assert len(sms.texts_to(app.mobile)) == 1


def test_a_rejection_reviewed_again_before_the_date_is_never_texted(client, decision, run_jobs):
    """The family hears only the decision that stands on the results date."""
    city = decision
    _decide(city, actions.REJECT, "居住证已过期")
    desk = Client()
    desk.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk])
    state = S.FIVE_CERTIFICATE_REJECTED
    desk.post(url, {"action": actions.REVIEW_AGAIN, "reason": "补交了居住证", "state": state})
    app = _decide(city, actions.APPROVE)
    assert app.state == S.READY_TO_PRINT
    rejection = MessageLog.objects.get(document_id=str(app.pk), event=f"state:{S.FIVE_CERTIFICATE_REJECTED}")
    assert rejection.status == Status.DROPPED
    with mock.patch("django.utils.timezone.now", return_value=_results_date(city) + dt.timedelta(seconds=30)):
        jobs.sweep()
        run_jobs()
    (text,) = sms.texts_to(app.mobile)
    assert "审核已通过" in text and "未通过" not in text


def test_a_results_date_moved_later_holds_the_message_until_the_new_date(decision, run_jobs):
    """The district postpones its results date after a decision: the held SMS does not leave on the
    old date, it waits for the new one (the rule is asked again when the message's time comes)."""
    city = decision
    app = _decide(city, actions.APPROVE)
    run_jobs()
    log = MessageLog.objects.get(document_id=str(app.pk), event=f"action:{actions.APPROVE}")
    old_date = _results_date(city)
    new_date = old_date + dt.timedelta(days=3)
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.FIVE_CERTIFICATE_RESULTS).update(
        opens_at=new_date
    )
    with mock.patch("django.utils.timezone.now", return_value=old_date + dt.timedelta(seconds=30)):
        jobs.sweep()
        run_jobs()
        assert sms.texts_to(app.mobile) == []
        held = MessageLog.objects.get(pk=log.pk)
        assert held.status == Status.QUEUED and held.not_before == new_date
    with mock.patch("django.utils.timezone.now", return_value=new_date + dt.timedelta(seconds=30)):
        jobs.sweep()
        run_jobs()
    (text,) = sms.texts_to(app.mobile)
    assert app.material_number in text and MessageLog.objects.get(pk=log.pk).status == Status.SENT
