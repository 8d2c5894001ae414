"""R30: a refusal's SMS carries the reviewer's reason as one clause of its sentence, however the
reviewer ended it (no "。。")."""

import pytest

from apps.bj_enrollment.choices import ApplicationState as S
from apps.lowcode.messaging.backends import locmem

pytestmark = pytest.mark.django_db


def test_school_refusal_sms_reads_as_one_sentence(client, city, run_jobs, settings):
    settings.SMS_ADAPTER = "locmem"
    locmem.outbox.clear()
    client.force_login(city.east_school_reviewer)
    url = f"/desk/bj_enrollment/application/{city.east_app.pk}/workflow/"
    client.post(url, {"action": "Reject", "state": S.READY_TO_PRINT, "reason": "学区内无房产证明。"}, follow=True)
    assert city.east_app.__class__.objects.get(pk=city.east_app.pk).state == S.SCHOOL_REJECTED
    run_jobs()
    (sms,) = [m for m in locmem.outbox if m.to == city.east_app.mobile]
    assert "原因：学区内无房产证明。请留意" in sms.text and "。。" not in sms.text
