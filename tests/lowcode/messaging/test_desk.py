"""The message log in the desk: read-only, recipients masked, filtered by status."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.models import MessageLog, Status
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIST_URL = "/desk/lowcode_messaging/messagelog/"


@pytest.fixture
def logs(city):
    kind = ContentType.objects.get_for_model(Application)
    return [
        MessageLog.objects.create(
            document_type=kind,
            document_id=str(app.pk),
            document_label=app.form_number,
            event="state:confirmed",
            channel="sms",
            recipient=app.mobile,
            text="录取通知",
            status=status,
        )
        for app, status in ((city.east_app, Status.SENT), (city.west_app, Status.FAILED))
    ]


@pytest.fixture
def desk(city, client):
    client.login(username="city", password=PASSWORD)
    return client


def test_log_list_masks_recipients(desk, logs, city):
    html = desk.get(LIST_URL).content.decode()
    for app in (city.east_app, city.west_app):
        assert app.form_number in html
        assert app.mobile[:3] + "****" + app.mobile[-4:] in html
        assert app.mobile not in html


def test_log_list_filters_by_status(desk, logs, city):
    html = desk.get(LIST_URL, {"status__exact": Status.FAILED}).content.decode()
    assert city.west_app.form_number in html
    assert city.east_app.form_number not in html


def test_log_entry_is_read_only_and_masked(desk, logs):
    url = f"{LIST_URL}{logs[0].pk}/change/"
    response = desk.get(url)
    assert response.status_code == 200
    assert logs[0].recipient not in response.content.decode()
    assert response.context["has_change_permission"] is False
    assert desk.post(url, {"status": Status.QUEUED}).status_code == 403
    assert desk.get(f"{LIST_URL}add/").status_code == 403


def test_log_is_hidden_from_reviewers(client, logs):
    client.login(username="east", password=PASSWORD)
    assert client.get(LIST_URL).status_code == 403


def test_log_list_of_a_reviewer_holds_only_documents_in_scope(client, logs, city):
    from django.contrib.auth.models import Permission

    city.east_reviewer.user_permissions.add(Permission.objects.get(codename="view_messagelog"))
    client.login(username="east", password=PASSWORD)
    html = client.get(LIST_URL).content.decode()
    assert city.east_app.form_number in html
    assert city.west_app.form_number not in html
    assert client.get(f"{LIST_URL}{logs[1].pk}/change/").status_code == 302  # out of scope: not found
