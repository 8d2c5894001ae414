"""A transfer to another district (R39) withdraws the student's preference lists (R41) with the move: the
lists name the old district's schools, which the student can no longer choose, so neither stays for the
lottery to read. The history says who and why, the approval's SMS asks the family to choose again in the
new district, and the new district's draw reads only its own schools. A refused transfer keeps the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.lottery.inputs import participant_id
from apps.bj_enrollment.models import LotteryRun, Preference, PreferenceList, SchoolPlan, Student, Transfer
from apps.bj_enrollment.services import preferences
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db


def _url(view, *args, model="transfer"):
    return reverse(f"admin:bj_enrollment_{model}_{view}", args=args)


def transfer_west(client, junior) -> Transfer:
    client.force_login(junior.east_school_reviewer)
    client.post(_url("add"), {
        "student": junior.east_student.pk, "to_district": junior.west_primary.district_id, "basis": "hukou",
        "document_number": "110102000123", "address": "西城区西长安街1号", "_save": "1"})
    transfer = Transfer.objects.get(student=junior.east_student)
    decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    return transfer


def decide(client, user, transfer, action, reason=""):
    client.force_login(user)
    assert client.post(_url("workflow_action", transfer.pk), {"action": action, "reason": reason}).status_code == 302
    transfer.refresh_from_db()


def lists(student) -> dict[str, list[str]]:
    return {pl.kind: [p.school.code for p in pl.preferences.order_by("rank")]
            for pl in PreferenceList.objects.filter(student=student)}


@pytest.fixture
def chosen(prefs):
    """East schools confirmed (what the lottery reads), and a draft being changed."""
    student, schools = prefs.student, prefs.schools
    confirmed = PreferenceList.objects.create(student=student, kind=PreferenceList.Kind.CONFIRMED,
                                              confirmed_at=timezone.now(), confirmation_method="portal")
    for rank, school in enumerate(schools[:2], 1):
        Preference.objects.create(preference_list=confirmed, rank=rank, school=school)
    preferences.save_draft(student, [schools[2].code, schools[0].code])
    assert lists(student) == {"confirmed": [s.code for s in schools[:2]], "draft": [schools[2].code, schools[0].code]}
    return prefs


def test_an_approved_transfer_withdraws_the_lists_and_tells_the_family(client, chosen, run_jobs):
    junior, student = chosen.junior, chosen.student
    transfer = transfer_west(client, junior)
    assert len(lists(student)) == 2  # the out-district's approval moves nothing yet

    decide(client, junior.west_reviewer, transfer, A.APPROVE_TRANSFER_IN)
    assert transfer.state == "approved"
    assert Student.objects.get(pk=student.pk).district_id == junior.west_primary.district_id
    assert lists(student) == {}  # draft and confirmed, in the approval's transaction
    gone = PreferenceList.history.filter(student_id=student.pk, history_type="-")
    assert gone.count() == 2
    east, west = junior.east_primary.district.name, junior.west_primary.district.name
    assert {(h.history_user, h.history_change_reason) for h in gone} == {
        (junior.west_reviewer, f"转区已批准：{east} → {west}")}

    run_jobs()
    approval = [t for t in sms.texts_to(student.mobile) if "已获批准" in t]
    assert approval and f"如已在{east}填报志愿，原志愿已撤回，请在{west}的志愿填报时间内重新填报" in approval[-1]

    # the new district's draw reads its own schools only, never the east lists
    SchoolPlan.objects.create(campaign=junior.campaign, school=junior.west_junior, seats=3)
    client.force_login(junior.west_reviewer)
    client.post(reverse("admin:bj_enrollment_lotteryrun_add"), {
        "campaign": junior.campaign.pk, "district": junior.west_primary.district_id, "zone": "",
        "mode": "preference", "school": "", "title": "西城区小升初派位", "repeat_reason": ""})
    run = LotteryRun.objects.get()
    client.post(reverse("admin:bj_enrollment_lotteryrun_step", args=[run.pk, "commit"]), {"seed": ""})
    run.refresh_from_db()
    assert run.state == LotteryRun.State.COMMITTED, run.error
    drawn = {p["id"]: p["preferences"] for p in run.input_document["participants"]}
    assert drawn[participant_id(junior.campaign, student)] == [junior.west_junior.code]


def test_a_refused_transfer_keeps_the_lists(client, chosen):
    junior, student = chosen.junior, chosen.student
    before = lists(student)
    transfer = transfer_west(client, junior)
    decide(client, junior.west_reviewer, transfer, A.REFUSE_TRANSFER_IN, "证件编号与登记信息不符")
    assert transfer.state == "refused"
    assert Student.objects.get(pk=student.pk).district_id == junior.east_primary.district_id
    assert lists(student) == before
    assert not PreferenceList.history.filter(student_id=student.pk, history_type="-").exists()
