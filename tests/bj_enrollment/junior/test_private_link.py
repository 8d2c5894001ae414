"""The junior portal's home page links to the private-school page exactly when the student may apply
there (services/private_applications.may_apply: data confirmed, no school, window open) — and the page it
links to takes the application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.models import Student
from tests import factories
from tests.bj_enrollment.junior.test_private_applications import move_window

pytestmark = pytest.mark.django_db
LINK = f'href="{reverse("portal-junior:private")}"'


def home(client, student) -> str:
    client.logout()
    login = client.post(reverse("portal-junior:login"), {"education_id": student.education_id, "name": student.name})
    assert login.status_code == 302
    page = client.get(reverse("portal-junior:home"))
    assert page.status_code == 200
    return page.content.decode()


def test_the_link_follows_the_services_gate(client, junior):
    student = junior.east_student
    assert LINK not in home(client, student)  # imported: the family has not confirmed the data

    factories.put_in_state(student, StudentState.CONFIRMED)
    page = home(client, student)
    assert LINK in page and 'id="private-link"' in page and "报名民办学校" in page
    assert client.get(reverse("portal-junior:private")).status_code == 200

    move_window(junior.campaign, dt.timedelta(days=1), dt.timedelta(days=5))  # not open yet
    assert LINK not in home(client, student)
    move_window(junior.campaign, dt.timedelta(days=-5), dt.timedelta(days=5))

    factories.put_in_state(student, StudentState.ADMITTED)
    Student.objects.filter(pk=student.pk).update(school=junior.east_junior)
    assert LINK not in home(client, student)
