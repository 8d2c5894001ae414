"""An SMS verification code never travels in a job's arguments, the outbox or the message log (#11.5):
whoever reads the queue, the dashboard or the database cannot take a family's account over."""

import django_rq
import pytest
from django.db import connection

from apps.lowcode.messaging.models import MessageLog
from apps.lowcode.models import OutboxJob
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.test_api import MOBILE, _captcha, _post

pytestmark = pytest.mark.django_db


def test_registration_code_is_nowhere_but_in_the_sms(client, city, run_jobs):
    queue = django_rq.get_queue("default")
    assert _post(client, "/api/v1/sms-codes/registration", {"mobile": MOBILE, **_captcha(client)}).status_code == 202
    pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in pending:
        callback()  # the commit: the outbox hands the job to Redis
    stored = [repr((job.args, job.kwargs, job.description)) for job in queue.get_jobs()]
    stored += [repr((row.args, row.kwargs)) for row in OutboxJob.objects.all()]
    assert stored, "the code's delivery was queued"
    run_jobs()
    code = sms.last_code(MOBILE)
    assert not [s for s in stored if code in s]
    assert not MessageLog.objects.filter(text__contains=code).exists()
