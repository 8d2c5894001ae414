"""The generic layer serves any DocType an app registers, on the e-mail channel too."""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from apps.lowcode.messaging import registry
from apps.lowcode.messaging.models import MessageLog, MessageTemplate, Status
from apps.lowcode.messaging.sending import send_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_audience():
    registry.register(
        User,
        audience=lambda user: registry.Audience(recipients={"email": [user.email]}, context={"name": user.username}),
        sample={"name": "someone"},
        events=("welcome",),  # an event the app sends itself (no workflow raises it)
    )
    yield
    registry.unregister(User)


def test_email_template_sends_subject_and_text(user_audience, outbox, run_jobs, django_capture_on_commit_callbacks):
    template = MessageTemplate(
        key="user_welcome",
        document_type=ContentType.objects.get_for_model(User),
        event="welcome",
        channel="email",
        subject="Welcome, {{ name }}",
        text="Hello {{ name }}.",
    )
    template.full_clean()
    template.save()
    user = User.objects.create_user("wang", email="wang@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send_event(user, "welcome")
    run_jobs()
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["wang@example.org"], "Welcome, wang", "Hello wang.")]
    log = MessageLog.objects.get()
    assert (log.status, log.masked_recipient) == (Status.SENT, "w***@example.org")
    assert outbox == []  # nothing went out as SMS


def test_document_type_without_audience_sends_nothing(outbox, queue, django_capture_on_commit_callbacks):
    user = User.objects.create_user("li", email="li@example.org")
    MessageTemplate.objects.create(
        key="orphan", document_type=ContentType.objects.get_for_model(User), event="welcome", text="Hi"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_event(user, "welcome") == []
    assert MessageLog.objects.count() == 0
    assert queue.count == 0
