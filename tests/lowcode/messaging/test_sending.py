"""A workflow transition texts the registered mobile, after commit, through a real RQ worker."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, Guardian
from apps.lowcode.messaging.models import MessageLog, MessageTemplate, Status
from apps.lowcode.messaging.sending import send_event
from tests import factories
from tests.factories import PASSWORD
from tests.lowcode.messaging.records import apply

pytestmark = pytest.mark.django_db

PREFIX = "【北京市义务教育入学服务平台】"


def confirm(app, capture, reason=""):
    factories.put_in_state(app, ApplicationState.PRE_ADMITTED)
    with capture(execute=True):
        apply(app, "Confirm admission", ApplicationState.CONFIRMED, reason=reason)


def test_confirm_admission_sends_exact_text_to_registered_mobile(
    city, outbox, queue, run_jobs, django_capture_on_commit_callbacks
):
    app = city.east_app
    confirm(app, django_capture_on_commit_callbacks)
    log = MessageLog.objects.get()
    assert (log.status, log.recipient, log.event) == (Status.QUEUED, app.mobile, "state:confirmed")
    assert queue.count == 1

    run_jobs()

    expected = f"{PREFIX}经东城区教委确认，李东东（编号{app.form_number}）已被史家胡同小学录取，请按学校通知按时报到。"
    assert [(sms.to, sms.text) for sms in outbox] == [(app.mobile, expected)]
    log.refresh_from_db()
    assert (log.status, log.attempts, log.error, log.text) == (Status.SENT, 1, "", expected)
    assert log.provider_message_id.startswith("locmem-") and log.sent_at is not None
    assert log.document_label == app.form_number


def test_transition_messages_only_the_documents_registered_mobile(
    city, outbox, run_jobs, django_capture_on_commit_callbacks
):
    app = city.east_app
    Guardian.objects.create(
        application=app, position=2, name="李妈妈", phone="13700000000", id_number="110101198805040028"
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply(app, "Pre-admit", ApplicationState.PRE_ADMITTED, user=city.east_school_reviewer)
    run_jobs()
    assert list(MessageLog.objects.values_list("recipient", flat=True)) == [app.mobile]
    assert [sms.to for sms in outbox] == [app.mobile]
    assert city.west_app.mobile not in {sms.to for sms in outbox}


def test_transition_without_template_sends_nothing(city, outbox, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(city.east_app, "Check identity again", ApplicationState.IDENTITY_CHECK)
    assert MessageLog.objects.count() == 0
    assert queue.count == 0


def test_rolled_back_transition_sends_nothing(city, outbox, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: PT012
        with transaction.atomic():
            apply(city.east_app, "Pre-admit", ApplicationState.PRE_ADMITTED)
            raise RuntimeError("the caller failed after the transition")
    assert MessageLog.objects.count() == 0
    assert queue.count == 0


def test_rejection_reason_appears_in_text(city, outbox, run_jobs, django_capture_on_commit_callbacks):
    app = city.east_app
    with django_capture_on_commit_callbacks(execute=True):
        apply(app, "Reject", ApplicationState.SCHOOL_REJECTED, reason="学位已满")
    run_jobs()
    assert [sms.text for sms in outbox] == [
        f"{PREFIX}史家胡同小学未能录取李东东（编号{app.form_number}），原因：学位已满。请留意东城区教委后续安排。"
    ]


def test_send_event_registered_sends_form_number(city, outbox, run_jobs, django_capture_on_commit_callbacks):
    """R13: the parent receives the 8-digit number when the application is created."""
    app = city.west_app
    with django_capture_on_commit_callbacks(execute=True):
        logs = send_event(app, "registered")
    run_jobs()
    assert len(logs) == 1
    assert [(sms.to, sms.text) for sms in outbox] == [
        (
            "13800001111",
            f"{PREFIX}您已为赵西西完成入学信息登记，儿童信息采集表编号为{app.form_number}，请妥善保管，凭此编号查询审核进度。",
        )
    ]


def test_failing_backend_retries_then_fails_with_error(city, outbox, run_jobs, django_capture_on_commit_callbacks):
    from apps.lowcode.messaging.backends import locmem

    locmem.refused.add(city.east_app.mobile)
    confirm(city.east_app, django_capture_on_commit_callbacks)
    run_jobs()
    log = MessageLog.objects.get()
    assert (log.status, log.attempts) == (Status.FAILED, 3)
    assert log.error == "locmem: the provider refused the number"
    assert outbox == []


def test_retry_failed_action_sends_again(city, client, outbox, run_jobs, django_capture_on_commit_callbacks):
    from apps.lowcode.messaging.backends import locmem

    locmem.refused.add(city.east_app.mobile)
    confirm(city.east_app, django_capture_on_commit_callbacks)
    run_jobs()
    log = MessageLog.objects.get(status=Status.FAILED)
    locmem.refused.clear()

    client.login(username="city", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/desk/lowcode_messaging/messagelog/", {"action": "retry_failed", "_selected_action": [log.pk], "index": 0}
        )
    assert response.status_code == 302
    run_jobs()
    log.refresh_from_db()
    assert (log.status, log.attempts, log.error) == (Status.SENT, 4, "")
    assert [sms.to for sms in outbox] == [city.east_app.mobile]


def test_retry_failed_action_refused_without_permission(
    city, client, outbox, run_jobs, django_capture_on_commit_callbacks
):
    from apps.lowcode.messaging.backends import locmem

    locmem.refused.add(city.east_app.mobile)
    confirm(city.east_app, django_capture_on_commit_callbacks)
    run_jobs()
    log = MessageLog.objects.get()
    client.login(username="east", password=PASSWORD)
    response = client.post(
        "/desk/lowcode_messaging/messagelog/", {"action": "retry_failed", "_selected_action": [log.pk], "index": 0}
    )
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.status == Status.FAILED


def test_broken_template_at_send_time_is_logged_failed(city, outbox, queue, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(key="application_pre_admitted").update(text="{{ child_name }}{{ seat_number }}")
    with django_capture_on_commit_callbacks(execute=True):
        apply(city.east_app, "Pre-admit", ApplicationState.PRE_ADMITTED)  # no exception reaches the reviewer
    log = MessageLog.objects.get()
    assert log.status == Status.FAILED
    assert log.error == "template: line 1: 'seat_number' is undefined"
    assert queue.count == 0


def test_in_process_jobs_send_after_commit(city, outbox, settings, django_capture_on_commit_callbacks):
    settings.JOBS_IN_PROCESS = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        apply(city.east_app, "Pre-admit", ApplicationState.PRE_ADMITTED)
        assert outbox == []
    for callback in callbacks:
        callback()
    assert [sms.to for sms in outbox] == [city.east_app.mobile]
    assert MessageLog.objects.get().status == Status.SENT


def test_transition_without_template_costs_two_queries(city, outbox, django_assert_num_queries):
    """The templates of its events, and dropping what was held for the document's former state."""
    from apps.lowcode.messaging.sending import send_transition
    from tests.lowcode.messaging.records import Record

    ContentType.objects.get_for_model(Application)  # cached for the process, as in any running site
    record = Record(action="Check identity again", from_state="identity_failed", to_state="identity_check")
    with django_assert_num_queries(2):
        send_transition(city.east_app, record)


def test_action_placeholder_speaks_the_site_language(city, outbox, django_capture_on_commit_callbacks):
    from django.utils.translation import gettext, override

    template = MessageTemplate(
        key="test_action",
        document_type=ContentType.objects.get_for_model(Application),
        event="action:Reject",
        text="{{ action }}：{{ reason }}",
    )
    template.full_clean()
    template.save()
    with override("en"), django_capture_on_commit_callbacks(execute=True):  # a reviewer using the English desk
        apply(city.east_app, "Reject", ApplicationState.SCHOOL_REJECTED, reason="学位已满")
    with override("zh-hans"):
        expected = f"{gettext('Reject')}：学位已满"
    assert MessageLog.objects.get(template=template).text == expected
