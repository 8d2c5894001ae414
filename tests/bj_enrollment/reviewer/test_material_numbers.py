"""R4/R20: approving a non-local child's five certificates issues the material number, unique per
district and campaign, also when two reviewers approve at the same moment."""

import re
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.models import MessageLog
from apps.lowcode.workflow import engine
from tests import factories


def _in_review(city, n):
    state = S.FIVE_CERTIFICATE_REVIEW
    return [factories.application(city.campaign, factories.child(f"五证{i}"), city.east, state=state) for i in range(n)]


@pytest.mark.django_db
def test_approval_issues_a_formatted_number_and_rejection_does_not(city):
    first, second, rejected = _in_review(city, 3)
    engine.apply_action(city.east_reviewer, first, "Approve")
    engine.apply_action(city.east_reviewer, second, "Approve")
    engine.apply_action(city.east_reviewer, rejected, "Reject", "居住证已过期")
    year = city.campaign.year
    assert first.material_number == f"CL01{year}00001" and second.material_number == f"CL01{year}00002"
    assert Application.objects.get(pk=rejected.pk).material_number == ""
    assert first.history.first().material_number == first.material_number  # in the timeline


@pytest.mark.django_db
@override_settings(MATERIAL_NUMBER_FORMAT="JD{district}-{year}-{sequence:04d}")
def test_the_format_is_configuration(city):
    (app,) = _in_review(city, 1)
    engine.apply_action(city.east_reviewer, app, "Approve")
    assert app.material_number == f"JD110101-{city.campaign.year}-0001"


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_get_different_numbers(city):
    apps = _in_review(city, 2)
    other = factories.staff("east-2", roles.DISTRICT_REVIEWER, district_=city.east)
    barrier, results = threading.Barrier(2), []

    def act(user, app):
        try:
            document = Application.objects.get(pk=app.pk)
            barrier.wait(timeout=10)
            engine.apply_action(user, document, "Approve")
            results.append(document.material_number)
        except Exception as exc:  # noqa: BLE001  (any failure shows in the assertion)
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=pair) for pair in zip((city.east_reviewer, other), apps, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert all(isinstance(r, str) and re.fullmatch(r"CL01\d{4}0000[12]", r) for r in results), results
    assert len(set(results)) == 2


@pytest.mark.django_db
def test_desk_approval_sms_carries_the_material_number(city, client, settings):
    """The number is issued before the approval's messages are queued (the engine's stated order)."""
    settings.STAFF_2FA = False  # the second factor is not what this test is about
    (app,) = _in_review(city, 1)
    client.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_workflow_action", args=[app.pk])
    response = client.post(url, {"action": actions.APPROVE, "reason": "", "state": app.state})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.READY_TO_PRINT and app.material_number == f"CL01{city.campaign.year}00001"
    (sms,) = MessageLog.objects.filter(document_id=str(app.pk), event=f"action:{actions.APPROVE}")
    assert sms.recipient == app.mobile
    assert f"在京借读材料编号为{app.material_number}" in sms.text
