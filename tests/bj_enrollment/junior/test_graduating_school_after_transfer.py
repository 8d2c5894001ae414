"""R39: after an approved transfer the graduating school (which filed it) still reads its graduate,
its guardians and history, but changes nothing: not the change page, not a workflow action, not the
"Correct data" page. Before the move it edits as before; the new district edits afterwards."""

import pytest
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, StudentGuardian, Transfer
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.junior.test_transfers import _decide, _file
from tests.lowcode.customfields.helpers import form_data

pytestmark = pytest.mark.django_db


def _url(view, *args):
    return reverse(f"admin:bj_enrollment_student_{view}", args=args)


def _frozen(student):
    return (Student.objects.filter(pk=student.pk).values().get(),
            list(StudentGuardian.objects.filter(student=student).values()),
            student.history.count(),
            TransitionRecord.objects.filter(object_id=str(student.pk), content_type__model="student").count())


def _edit(client, user, student, **changes):
    """Post the change page as rendered to `user`, with `changes`."""
    client.force_login(user)
    page = client.get(_url("change", student.pk))
    assert page.status_code == 200
    return client.post(_url("change", student.pk), {**form_data(page), **changes, "_save": "1"})


def _move(client, junior):
    assert _file(client, junior).status_code == 302
    transfer = Transfer.objects.get(student=junior.east_student)
    _decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    _decide(client, junior.west_reviewer, transfer, A.APPROVE_TRANSFER_IN)
    student = Student.objects.get(pk=junior.east_student.pk)
    assert student.district == junior.west_primary.district
    return student


def test_before_the_move_the_graduating_school_edits_its_graduate(client, junior):
    student = junior.east_student
    response = _edit(client, junior.east_school_reviewer, student, graduating_class="六年级(3)班")
    assert response.status_code == 302
    assert Student.objects.get(pk=student.pk).graduating_class == "六年级(3)班"


def test_after_the_move_the_graduating_school_reads_but_cannot_change(client, junior):
    student = _move(client, junior)
    school = junior.east_school_reviewer
    client.force_login(school)
    page = client.get(_url("change", student.pk))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert student.pk in {s.pk for s in client.get(_url("changelist")).context["cl"].result_list}
    assert client.get(reverse("admin:bj_enrollment_student_history", args=[student.pk])).status_code == 200

    before = _frozen(student)
    response = client.post(_url("change", student.pk), {**form_data(page), "graduating_class": "篡改", "_save": "1"})
    assert response.status_code == 403
    assert _frozen(student) == before

    # the family reports a correction: the old school neither opens the Correct page nor takes the action
    student = factories.put_in_state(student, "correction_requested")
    before = _frozen(student)
    assert client.get(_url("correct_student", student.pk)).status_code == 403
    client.post(_url("correct_student", student.pk), {"name": "篡改", "reason": "越权"})
    client.post(_url("workflow_action", student.pk), {"action": A.CORRECT_DATA, "reason": "越权"})
    assert _frozen(student) == before

    # the new district's school side is the transfer-in district now: it edits
    factories.put_in_state(student, "imported")
    response = _edit(client, junior.west_reviewer, student, graduating_class="六年级(5)班")
    assert response.status_code == 302
    assert Student.objects.get(pk=student.pk).graduating_class == "六年级(5)班"
