"""R24: a confirmed admission is final; only a district administrator changes it, with a reason that
stays in the application's timeline."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.errors import NotAllowed, ReasonRequired
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(city):
    Application.objects.filter(pk=city.east_app.pk).update(state=ApplicationState.CONFIRMED)
    city.east_app.refresh_from_db()
    city.east_admin = factories.staff("east-admin", roles.DISTRICT_REVIEWER, district_=city.east)
    city.east_admin.groups.add(roles_group(roles.DISTRICT_ADMIN))
    city.west_admin = factories.staff("west-admin", roles.DISTRICT_REVIEWER, district_=city.west)
    city.west_admin.groups.add(roles_group(roles.DISTRICT_ADMIN))
    return city


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


def actions(user, app) -> set[str]:
    return {t.action for t in engine.available_actions(user, app)}


def post(client, user, app, action, reason=""):
    client.force_login(user)
    url = reverse("admin:bj_enrollment_application_workflow_action", args=[app.pk])
    return client.post(url, {"action": action, "reason": reason, "state": app.state})


def test_a_district_reviewer_cannot_change_a_final_result(client, confirmed):
    app = confirmed.east_app
    assert not {"Change result", "Void registration"} & actions(confirmed.east_reviewer, app)
    with pytest.raises(NotAllowed):
        engine.apply_action(confirmed.east_reviewer, app, "Change result", "材料造假")
    post(client, confirmed.east_reviewer, app, "Change result", "材料造假")
    app.refresh_from_db()
    assert app.state == ApplicationState.CONFIRMED


def test_the_district_administrator_changes_it_with_a_reason_kept_in_the_timeline(client, confirmed):
    app = confirmed.east_app
    assert {"Change result", "Void registration"} <= actions(confirmed.east_admin, app)
    with pytest.raises(ReasonRequired):
        engine.apply_action(confirmed.east_admin, app, "Change result", "  ")
    post(client, confirmed.east_admin, app, "Change result", "经核查房产证系伪造，撤销录取")
    app.refresh_from_db()
    assert app.state == ApplicationState.DISTRICT_REJECTED
    record = engine.history(app).last()
    reason = "经核查房产证系伪造，撤销录取"
    assert (record.action, record.user, record.reason) == ("Change result", confirmed.east_admin, reason)
    with translation.override("zh-hans"):
        page = client.get(reverse("admin:bj_enrollment_application_change", args=[app.pk])).content.decode()
    assert "经核查房产证系伪造，撤销录取" in page


def test_another_districts_administrator_cannot(client, confirmed):
    app = confirmed.east_app
    response = post(client, confirmed.west_admin, app, "Change result", "越权")
    assert response.status_code in (302, 404)
    app.refresh_from_db()
    assert app.state == ApplicationState.CONFIRMED
