"""R24: a district confirms its pre-admitted children in bulk; a large batch runs in the worker with
a progress page, every child through the workflow as the reviewer, refusals listed, SMS sent (R30)."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.models import MessageLog
from apps.lowcode.workflow.desk import IN_REQUEST_LIMIT
from apps.lowcode.workflow.models import BulkTransition
from tests import factories

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"


@pytest.fixture
def pre_admitted(city):
    apps = [
        factories.application(city.campaign, factories.child(f"确认{n}"), city.east, city.east_school,
                              state=S.PRE_ADMITTED, mobile=f"1380000{n:04d}")
        for n in range(IN_REQUEST_LIMIT + 10)
    ]
    # one of them changes meanwhile: the engine refuses it, the others go on
    Application.objects.filter(pk=apps[0].pk).update(state=S.DISTRICT_REJECTED)
    return apps


def post_bulk(client, ids, action="Confirm admission", reason=""):
    return client.post(reverse(LIST), {
        "action": "apply_workflow_action", helpers.ACTION_CHECKBOX_NAME: ids, "apply": "1",
        "workflow_action": action, "reason": reason,
    })


def test_a_large_batch_runs_in_the_worker_with_progress(client, city, pre_admitted, run_jobs):
    client.force_login(city.east_reviewer)
    ids = [a.pk for a in pre_admitted] + [city.west_app.pk]  # another district's id slipped into the POST
    response = post_bulk(client, ids)
    batch = BulkTransition.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/workflow-bulk/{batch.pk}/")
    assert batch.total == len(pre_admitted)  # the west application was not in the reviewer's list
    assert client.get(response["Location"]).status_code == 200
    run_jobs()
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.applied, len(batch.refusals)) == ("done", batch.total, batch.total - 1, 1)
    assert batch.refusals[0][0] == str(pre_admitted[0].pk)
    assert Application.objects.filter(state=S.CONFIRMED).count() == batch.total - 1
    assert Application.objects.get(pk=city.west_app.pk).state == S.READY_TO_PRINT
    status = client.get(reverse("admin:bj_enrollment_application_workflow_bulk_status", args=[batch.pk])).json()
    assert status["percent"] == 100 and status["refused"] == 1
    page = client.get(response["Location"]).content.decode()
    assert pre_admitted[0].form_number in page  # the refusal links to the application
    confirmed = MessageLog.objects.filter(recipient__in=[a.mobile for a in pre_admitted[1:]])
    assert confirmed.count() >= batch.total - 1  # R30: one message per confirmation


def test_small_batches_stay_in_the_request(client, city, pre_admitted):
    client.force_login(city.east_reviewer)
    post_bulk(client, [a.pk for a in pre_admitted[1:4]])
    assert not BulkTransition.objects.exists()
    assert Application.objects.filter(state=S.CONFIRMED).count() == 3


def test_another_user_cannot_follow_the_batch(client, city, pre_admitted):
    client.force_login(city.east_reviewer)
    response = post_bulk(client, [a.pk for a in pre_admitted])
    other = factories.staff("east-2", "区教委审核员", district_=city.east)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_school_reviewers_cannot_confirm(client, city, pre_admitted, run_jobs):
    client.force_login(city.east_school_reviewer)
    post_bulk(client, [a.pk for a in pre_admitted])
    run_jobs()
    assert not Application.objects.filter(state=S.CONFIRMED).exists()


def test_select_all_matching_takes_the_filtered_scoped_list(client, city, pre_admitted, run_jobs):
    client.force_login(city.east_reviewer)
    Application.objects.filter(pk=city.west_app.pk).update(state=S.PRE_ADMITTED)
    url = reverse(LIST) + "?state__exact=pre_admitted"
    confirm = client.post(url, {"action": "apply_workflow_action", "select_across": "1",
                                helpers.ACTION_CHECKBOX_NAME: [pre_admitted[1].pk]})
    assert confirm.status_code == 200 and confirm.context["count"] == len(pre_admitted) - 1
    response = client.post(url, {"action": "apply_workflow_action", "select_across": "1", "apply": "1",
                                 helpers.ACTION_CHECKBOX_NAME: [pre_admitted[1].pk],
                                 "workflow_action": "Confirm admission", "reason": ""})
    assert response.status_code == 302
    run_jobs()
    batch = BulkTransition.objects.get()
    assert (batch.total, batch.applied) == (len(pre_admitted) - 1, len(pre_admitted) - 1)
    assert Application.objects.get(pk=city.west_app.pk).state == S.PRE_ADMITTED  # another district's
