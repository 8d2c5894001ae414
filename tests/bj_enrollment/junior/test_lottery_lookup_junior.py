"""The public lottery look-up (/disclosure/lottery/, #16) for junior-high students: the number and the
verification code printed on the student's confirmation sheet show its own number, rank, result and its
listed schools' cutoffs — nothing about any other child; a wrong code reads like an unknown number, and
the limits of the primary families' look-up hold."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import ConfirmationMethod, StudentState
from apps.bj_enrollment.models import LotteryRun, SchoolPlan, Student, StudentGuardian
from apps.bj_enrollment.services import junior_family
from tests import factories
from tests.bj_enrollment.junior.test_city_lottery_day import create, step
from tests.bj_enrollment.lottery.test_runs import SEED

pytestmark = pytest.mark.django_db
LOOKUP = reverse("disclosure:lottery_lookup")
WRONG = "报名表编号或验证码不正确"


@pytest.fixture
def signed(junior, city):
    """Two districts, one junior high each (one seat), three students each, every family having signed
    its confirmation sheet through the confirmation service (sheet number and verification code)."""
    for school in (junior.east_junior, junior.west_junior):
        SchoolPlan.objects.create(campaign=junior.campaign, school=school, seats=1)
    students = [junior.east_student, junior.west_student]
    for n, (east, west) in enumerate((("孙东甲", "周西甲"), ("孙东乙", "周西乙"))):
        students.append(factories.student(junior.campaign, city.east_school, east, education_id=f"GE{n:017d}"))
        students.append(factories.student(junior.campaign, city.west_school, west, education_id=f"GW{n:017d}"))
    for student in students:
        factories.put_in_state(student, StudentState.AWAITING_CONFIRMATION)
        junior_family.record_confirmation(student, ConfirmationMethod.PORTAL)
    signed = list(Student.objects.filter(pk__in=[s.pk for s in students]).order_by("pk"))
    assert all(s.state == StudentState.CONFIRMED and s.confirmation_number and s.verification_code for s in signed)
    return signed


@pytest.fixture
def public(client):
    """An anonymous visitor from an address of its own, so rate-limit counters start at zero."""
    client.logout()
    client.defaults["REMOTE_ADDR"] = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return client


def city_day(client, junior, run_jobs, *steps) -> LotteryRun:
    """The city's lottery day through the desk, up to the steps given (commit; seed and draw)."""
    client.force_login(junior.city_admin)
    if not LotteryRun.objects.exists():
        assert create(client, junior.campaign).status_code == 302
    run = LotteryRun.objects.get()
    for name in steps:
        assert step(client, run, name, "" if name == "commit" else SEED).status_code == 302
    run_jobs()
    client.logout()
    run.refresh_from_db()
    return run


def look_up(client, student, code=None):
    return client.post(LOOKUP, {"form_number": student.confirmation_number,
                                "verification_code": code if code is not None else student.verification_code})


def personal(students) -> list[str]:
    """What identifies a child: names, education IDs, ID numbers, guardians, sheet numbers and codes."""
    values = [v for s in students for v in (s.name, s.education_id, s.id_number)]
    values += [v for g in StudentGuardian.objects.all() for v in (g.name, g.phone)]
    return values


def test_a_student_sees_its_own_result_and_nothing_of_other_children(client, junior, signed, run_jobs, public):
    me, others = signed[0], signed[1:]
    city_day(client, junior, run_jobs, "commit")
    waiting = look_up(public, me)
    assert waiting.status_code == 200 and "尚未派位" in waiting.content.decode()

    run = city_day(client, junior, run_jobs, "seed", "draw")
    assert run.state == LotteryRun.State.DONE, run.error
    entry = run.entries.select_related("school").get(student=me)
    response = look_up(public, me)
    text = response.content.decode()
    assert response.status_code == 200 and 'id="lottery-result"' in text
    assert entry.lottery_number in text and f"<strong>{entry.position}</strong>" in text
    assert (entry.school.name if entry.school else "未派位") in text and "全市统一派位" in text
    assert me.confirmation_number in text
    assert junior.east_junior.name in text  # the school it listed, with its cutoff
    assert junior.west_junior.name not in text  # another district's market: nothing of it
    for other in run.entries.exclude(student=me):
        assert other.lottery_number not in text and other.participant_id not in text
    assert [v for v in personal(signed) if v in text] == []
    assert [s.confirmation_number for s in others if s.confirmation_number in text] == []


def test_a_wrong_code_reads_like_an_unknown_number_and_is_rate_limited(client, junior, signed, run_jobs, public,
                                                                         settings):
    settings.PORTAL_RATE_LIMITS = {"lottery_lookup_failures": "2/h"}
    me, other = signed[0], signed[1]
    run = city_day(client, junior, run_jobs, "commit", "seed", "draw")
    mine = run.entries.get(student=me).lottery_number
    theirs = look_up(public, other, code=me.verification_code)  # another child's number with my code
    unknown = public.post(LOOKUP, {"form_number": f"9{uuid.uuid4().int % 10**7:07d}",
                                   "verification_code": me.verification_code})
    for response in (theirs, unknown):
        assert response.status_code == 400 and WRONG in response.content.decode()
    assert run.entries.get(student=other).lottery_number not in theirs.content.decode()

    wrong = "22222A" if me.verification_code != "22222A" else "33333B"
    for _attempt in range(2):
        response = look_up(public, me, code=wrong)
        assert response.status_code == 400 and WRONG in response.content.decode()
    response = look_up(public, me)  # after two wrong codes even the right one waits
    assert response.status_code == 400 and "操作过于频繁" in response.content.decode()
    assert mine not in response.content.decode()
