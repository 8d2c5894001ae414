"""R39 on MariaDB with two districts acting at once: the transfer-in district approves the move while
the transfer-out district withdraws the student. Each request runs in its own thread with its own
database connection; whichever commits first wins and the other is refused, never both."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, Transfer
from apps.bj_enrollment.services import transfers
from apps.lowcode.workflow import engine

pytestmark = pytest.mark.django_db(transaction=True)


def test_approving_the_move_and_withdrawing_in_the_old_district_at_once_leave_one_outcome(junior, monkeypatch):
    student = junior.east_student
    transfer = transfers.file_transfer(junior.east_school_reviewer, student, to_district=junior.west_primary.district,
                                       basis="hukou", document_number="110102000123", address="西城区西长安街1号")
    engine.apply_action(junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    both_ready = threading.Barrier(2, timeout=20)
    apply_action = engine.apply_action

    def held(*args, **kwargs):
        both_ready.wait()  # both districts have their page and press at the same moment
        return apply_action(*args, **kwargs)

    monkeypatch.setattr(engine, "apply_action", held)
    answers = {}

    def act(name, user, url, data):
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            response = client.post(url, data, follow=True)
            answers[name] = (response.status_code, [str(m) for m in response.context["messages"]])
        finally:
            connections.close_all()

    jobs = {
        "approve": (junior.west_reviewer, reverse("admin:bj_enrollment_transfer_workflow_action", args=[transfer.pk]),
                    {"action": A.APPROVE_TRANSFER_IN}),
        "withdraw": (junior.east_reviewer, reverse("admin:bj_enrollment_student_workflow_action", args=[student.pk]),
                     {"action": A.WITHDRAW_STUDENT, "reason": "随父母出国"}),
    }
    threads = [threading.Thread(target=act, args=(name, *job)) for name, job in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert set(answers) == {"approve", "withdraw"}, answers
    assert all(status == 200 for status, _messages in answers.values()), answers
    student.refresh_from_db()
    transfer.refresh_from_db()
    moved = transfer.state == "approved"
    withdrawn = student.state == "withdrawn"
    assert moved != withdrawn, (transfer.state, student.state, answers)  # exactly one of the two happened
    if moved:
        assert student.district == junior.west_primary.district and student.state == "imported"
    else:
        assert student.district == junior.east_primary.district and transfer.state == "in_review"
        assert transfer.reviewing_district == junior.west_primary.district
    assert Transfer.objects.count() == 1 and Student.objects.filter(pk=student.pk).count() == 1
