"""The transfers' and new arrivals' desk URLs (R39, R40) in the side-door walk and the scope matrix:
no URL but the filing form and the workflow writes a transfer or a student, a transfer's fields are
fixed once filed, and every page of another district's transfer is refused."""

import hashlib

import pytest
from django.core import serializers
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Student, StudentGuardian, Transfer
from apps.bj_enrollment.scope import in_scope, restrict
from apps.bj_enrollment.services import new_arrivals, transfers
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment import test_side_doors as walk

pytestmark = pytest.mark.django_db

MODELS = ("bj_enrollment_transfer_", "bj_enrollment_newarrival_")


def fingerprint() -> str:
    rows = [serializers.serialize("json", m.objects.order_by("pk"))
            for m in (Student, StudentGuardian, Transfer, TransitionRecord)]
    return hashlib.sha256("".join(rows).encode()).hexdigest()


@pytest.fixture
def filed(junior):
    """A transfer from east to west (approved out, waiting for west) and a new arrival in the east."""
    transfer = transfers.file_transfer(junior.east_school_reviewer, junior.east_student,
                                       to_district=junior.west_primary.district, basis="hukou",
                                       document_number="110102000123", address="西城区西长安街1号")
    engine.apply_action(junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    arrival = new_arrivals.register_new_arrival(
        junior.east_reviewer, campaign=junior.campaign, graduating_school=junior.east_primary,
        arrival_document_number="京东四街道学籍证明2026-001", education_id="G440300201401010011", name="陈新京",
        id_number="440300201401010011", birth_date="2014-01-01", gender="male", mobile="13800138011",
    )
    return transfer, arrival


@pytest.mark.parametrize("role", ["east_school_reviewer", "east_reviewer", "west_reviewer"])
def test_no_transfer_or_new_arrival_url_but_the_form_and_workflow_writes(client, junior, filed, role, monkeypatch):
    transfer, arrival = filed
    monkeypatch.setattr(walk, "target_for", lambda model, _city: {Transfer: transfer}.get(model, arrival))
    client.force_login(getattr(junior, role))
    tried = 0
    for name, route in walk.desk_patterns():
        if not name.startswith(MODELS) or walk.WRITE_DOORS.search(name) or name in walk.SESSION_DOORS:
            continue
        found = walk.fill(name, route, junior)
        if found is None:
            continue
        url, obj = found
        before = fingerprint()
        client.post(url, {**walk.tampered(obj), "state": "approved", "district": junior.west_primary.district_id,
                          "post": "yes"})
        client.force_login(getattr(junior, role))
        tried += 1
        assert fingerprint() == before, f"POST {url} ({name}) as {role} changed a row"
    assert tried >= 6  # history, delete, print, autocomplete…


@pytest.mark.parametrize("role", ["east_reviewer", "west_reviewer", "east_school_reviewer"])
def test_a_filed_transfer_cannot_be_edited_by_its_districts_or_school(client, junior, filed, role):
    transfer, _arrival = filed
    client.force_login(getattr(junior, role))
    before = fingerprint()
    data = {"student": junior.west_student.pk, "to_district": junior.east_primary.district_id,
            "basis": "property", "document_number": "篡改", "address": "篡改", "_save": "1"}
    response = client.post(reverse("admin:bj_enrollment_transfer_change", args=[transfer.pk]), data)
    assert response.status_code in (200, 302, 403)
    assert fingerprint() == before


def test_a_third_district_sees_no_page_of_the_transfer(client, junior, filed):
    transfer, arrival = filed
    south = factories.staff("south", "区教委审核员", district_=factories.district("110105", "朝阳区"))
    client.force_login(south)
    assert list(client.get(reverse("admin:bj_enrollment_transfer_changelist")).context["cl"].result_list) == []
    for url in (reverse("admin:bj_enrollment_transfer_change", args=[transfer.pk]),
                reverse("admin:bj_enrollment_transfer_history", args=[transfer.pk]),
                reverse("admin:bj_enrollment_transfer_print_transfer", args=[transfer.pk]),
                reverse("admin:bj_enrollment_student_change", args=[transfer.student_id]),
                reverse("admin:bj_enrollment_newarrival_change", args=[arrival.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert junior.east_student.name not in response.content.decode()
    before = fingerprint()
    client.post(reverse("admin:bj_enrollment_transfer_workflow_action", args=[transfer.pk]),
                {"action": A.APPROVE_TRANSFER_IN})
    assert fingerprint() == before


@pytest.mark.parametrize("model", [Transfer, Student, StudentGuardian])
def test_querysets_and_object_checks_agree_during_and_after_review(junior, filed, model):
    transfer, _arrival = filed
    users = (junior.city_admin, junior.east_reviewer, junior.west_reviewer, junior.east_school_reviewer)
    for moment in ("under review", "after the move"):
        for user in users:
            visible = set(restrict(model.objects.all(), user).values_list("pk", flat=True))
            assert visible == {obj.pk for obj in model.objects.all() if in_scope(user, obj)}, (moment, user)
        if moment == "under review":
            engine.apply_action(junior.west_reviewer, transfer, A.APPROVE_TRANSFER_IN)


def test_the_transfer_and_new_arrival_lists_show_each_state_as_a_badge(client, junior, filed):
    """Their state colours come from the workflows (states are data); they read "name, label" as text
    while the colours were an empty mapping to Unfold."""
    import re

    client.force_login(junior.east_reviewer)
    for name in ("transfer", "newarrival"):
        url = reverse(f"admin:bj_enrollment_{name}_changelist")
        html = client.get(url).content.decode()
        cells = re.findall(r'<td class="field-state_badge[^"]*"[^>]*>(.*?)</td>', html, re.S)
        assert cells, url
        for cell in cells:
            assert re.fullmatch(r"\s*<span [^>]*>\s*[^<_,]+\s*</span>\s*", cell), cell
