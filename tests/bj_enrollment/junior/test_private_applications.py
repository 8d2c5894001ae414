"""Private-school applications (R43, seed 002): the window on both sides, the limit, change and withdraw
(each refusal changes nothing), the private school's applicants in its scope, and its lottery when
applicants exceed the plan (公民同招): the admitted student gets route 民办 and loses its public
preferences; the others continue on the public route into the district's draw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import Ownership, Stage, StudentState
from apps.bj_enrollment.models import (
    CampaignWindow,
    LotteryRun,
    Preference,
    PreferenceList,
    PrivateApplication,
    PrivateApplicationSetting,
    School,
    SchoolPlan,
)
from tests import factories
from tests.bj_enrollment.junior.family.conftest import last_code
from tests.bj_enrollment.lottery.test_runs import SEED
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db
PAGE = reverse("portal-junior:private")


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """SMS codes live in Redis across tests: start clean, texts to the local outbox, room for many codes."""
    settings.SMS_ADAPTER = "locmem"
    settings.PORTAL_RATE_LIMITS = {"sms_per_mobile": "100/h", "sms_per_ip": "100/h"}
    cache.delete_pattern("portal:sms:*")
    sms.clear()
    yield
    cache.delete_pattern("portal:sms:*")


@pytest.fixture
def family(client, run_jobs):
    """The family's browser on /portal/junior/private/: logs in as the student, asks for a code, reads it
    from the SMS outbox and posts the button; returns the messages the page then shows."""

    def act(student, op, **data):
        client.logout()
        login = client.post(reverse("portal-junior:login"), {"education_id": student.education_id,
                                                              "name": student.name})
        assert login.status_code == 302
        cache.delete_pattern("portal:sms:*:sent")  # the family waited the resend interval
        client.post(PAGE, {"op": "send_code"})
        run_jobs()
        code = last_code(student.mobile) if sms.texts_to(student.mobile) else "000000"
        page = client.post(PAGE, {"op": op, "sms_code": data.pop("code", code), **data}, follow=True)
        assert page.status_code == 200
        return page.content.decode()

    return act


def private_school(district, name):
    return School.objects.create(district=district, name=name, code=f"119{abs(hash(name)) % 10**7:07d}",
                                 offers_primary=False, offers_junior=True, ownership=Ownership.PRIVATE)


@pytest.fixture
def schools(junior, city):
    return private_school(city.east, "东城民办实验中学"), private_school(city.west, "西城民办外国语中学")


@pytest.fixture
def student(junior):
    return factories.put_in_state(junior.east_student, StudentState.CONFIRMED)


def move_window(campaign, opens: dt.timedelta, closes: dt.timedelta):
    now = timezone.now()
    CampaignWindow.objects.filter(campaign=campaign, stage=Stage.PRIVATE_APPLICATION).update(
        opens_at=now + opens, closes_at=now + closes)


def states(student):
    return sorted(PrivateApplication.objects.filter(student=student).values_list("school__name", "state"))


@pytest.mark.parametrize(("opens", "closes"), [(dt.timedelta(days=1), dt.timedelta(days=5)),
                                               (dt.timedelta(days=-5), dt.timedelta(days=-1))])
def test_outside_the_window_nothing_is_written(junior, schools, student, family, opens, closes):
    move_window(junior.campaign, opens, closes)
    page = family(student, "apply", school=schools[0].code)
    assert "未开放" in page  # the page says the window is closed
    assert not PrivateApplication.objects.exists()


def test_data_not_confirmed_is_refused(junior, schools, family):
    family(junior.east_student, "apply", school=schools[0].code)
    assert not PrivateApplication.objects.exists()


def test_limit_change_and_withdraw_until_the_window_closes(junior, schools, student, city, family):
    east, west = schools
    page = family(student, "apply", school=east.code)
    assert "东城民办实验中学" in page and 'data-state="applied"' in page
    for wording in ("民办学校报名", "我的报名", "每名学生最多可报 1 所民办学校。", "要修改或撤回的报名", "改报",
                    "撤回"):
        assert wording in page, wording  # the page's own wording, in Chinese
    first = PrivateApplication.objects.get()
    family(student, "apply", school=west.code)  # one private school unless the city says more
    family(student, "apply", school=junior.east_junior.code)  # a public school cannot be applied to here
    family(student, "withdraw", application=first.pk, code="123456")  # a wrong code changes nothing
    assert states(student) == [(east.name, "applied")]

    PrivateApplicationSetting.objects.create(campaign=junior.campaign, max_choices=2)
    family(student, "apply", school=west.code)
    second = PrivateApplication.objects.get(school=west)
    family(student, "apply", school=east.code)  # the same school twice
    third = private_school(city.west, "西城民办第二中学")
    family(student, "change", application=second.pk, school=third.code)
    family(student, "withdraw", application=first.pk)
    assert states(student) == [(east.name, "withdrawn"), (third.name, "applied")]
    assert PrivateApplication.objects.get(pk=second.pk).history.count() == 2  # the change is kept

    move_window(junior.campaign, dt.timedelta(days=-5), dt.timedelta(days=-1))
    family(student, "withdraw", application=second.pk)
    family(student, "change", application=second.pk, school=west.code)
    assert states(student) == [(east.name, "withdrawn"), (third.name, "applied")]


def test_the_private_school_sees_its_applicants_only(client, junior, schools, student, city, family):
    east, west = schools
    other = factories.put_in_state(
        factories.student(junior.campaign, city.west_school, "钱西民", education_id="GW00000000000000009"),
        StudentState.CONFIRMED)
    family(student, "apply", school=east.code)
    family(other, "apply", school=west.code)
    assert PrivateApplication.objects.count() == 2
    client.force_login(factories.staff("east-private", roles.SCHOOL_REVIEWER, school_=east))
    page = client.get(reverse("admin:bj_enrollment_privateapplication_changelist")).content.decode()
    assert student.education_id in page and other.education_id not in page
    theirs = PrivateApplication.objects.get(student=other)
    assert client.get(reverse("admin:bj_enrollment_privateapplication_change", args=[theirs.pk])).status_code in (
        302, 403, 404)
    client.force_login(junior.west_reviewer)  # the west district: its student's application, and west's school
    page = client.get(reverse("admin:bj_enrollment_privateapplication_changelist")).content.decode()
    assert other.education_id in page and student.education_id not in page


def confirmed_list(student, school):
    plist = PreferenceList.objects.create(student=student, kind=PreferenceList.Kind.CONFIRMED,
                                          confirmed_at=timezone.now(), confirmation_method="portal")
    Preference.objects.create(preference_list=plist, rank=1, school=school)


def step(client, run, name, seed=""):
    return client.post(reverse("admin:bj_enrollment_lotteryrun_step", args=[run.pk, name]), {"seed": seed})


def test_over_the_plan_the_school_draws_and_the_others_continue_public(client, junior, schools, student, city,
                                                                       run_jobs, family):
    east, _west = schools
    SchoolPlan.objects.create(campaign=junior.campaign, school=east, seats=1)
    SchoolPlan.objects.create(campaign=junior.campaign, school=junior.east_junior, seats=5)
    applicants = [student] + [
        factories.put_in_state(factories.student(junior.campaign, city.east_school, f"民{n}",
                                                 education_id=f"GP{n:017d}"), StudentState.CONFIRMED)
        for n in range(2)
    ]
    for applicant in applicants:
        confirmed_list(applicant, junior.east_junior)
        family(applicant, "apply", school=east.code)
    assert PrivateApplication.objects.filter(school=east, state="applied").count() == 3

    client.force_login(junior.east_reviewer)
    created = client.post(reverse("admin:bj_enrollment_lotteryrun_add"), {
        "campaign": junior.campaign.pk, "district": city.east.pk, "zone": "", "mode": "private",
        "school": east.pk, "title": "东城民办实验中学电脑随机录取", "repeat_reason": ""})
    assert created.status_code == 302
    run = LotteryRun.objects.get()
    for name, seed in (("commit", ""), ("seed", SEED), ("draw", SEED)):
        assert step(client, run, name, seed).status_code == 302
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DONE and run.participants == 3, run.error
    step(client, run, "apply")
    run_jobs()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.APPLIED and not run.error

    for applicant in applicants:
        applicant.refresh_from_db()
    admitted = [a for a in applicants if a.school_id == east.pk]
    others = [a for a in applicants if a.school_id is None]
    assert len(admitted) == 1 and len(others) == 2
    winner = admitted[0]
    assert (winner.state, winner.admission_route) == ("admitted", "private") and winner.admission_record
    assert not PreferenceList.objects.filter(student=winner).exists()  # public preferences withdrawn
    assert states(winner) == [(east.name, "admitted")]
    for other in others:  # not admitted: untouched, still on the public route
        assert (other.state, other.admission_route) == ("confirmed", "")
        assert PreferenceList.objects.filter(student=other, kind=PreferenceList.Kind.CONFIRMED).exists()
        assert states(other) == [(east.name, "not_admitted")]

    # the district's public draw takes the two, not the admitted one
    public = client.post(reverse("admin:bj_enrollment_lotteryrun_add"), {
        "campaign": junior.campaign.pk, "district": city.east.pk, "zone": "", "mode": "preference",
        "school": "", "title": "东城区小升初派位", "repeat_reason": ""})
    assert public.status_code == 302
    draw = LotteryRun.objects.get(mode="preference")
    step(client, draw, "commit")
    draw.refresh_from_db()
    assert draw.state == LotteryRun.State.COMMITTED
    drawn = {p["id"] for p in draw.input_document["participants"]}
    from apps.bj_enrollment.lottery.inputs import participant_id
    assert participant_id(junior.campaign, winner) not in drawn
    assert {participant_id(junior.campaign, o) for o in others} <= drawn


def test_the_api_applies_changes_and_withdraws_with_codes(client, junior, schools, student, run_jobs, city):
    from tests.bj_enrollment.junior.family.test_family_api import token_for

    api = "/api/v1/junior/private"
    east, west = schools
    auth = token_for(client, run_jobs, student)

    def code() -> str:
        cache.delete_pattern("portal:sms:*:sent")
        assert client.post(api + "/sms-code", **auth).status_code == 202
        run_jobs()
        return last_code(student.mobile)

    data = client.get(api, **auth).json()
    assert data["open"] is True and data["max_choices"] == 1 and east.code in {s["code"] for s in data["schools"]}
    created = client.post(api + "/applications", {"school": east.code, "sms_code": code()},
                          content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["applications"][0]["state"] == "applied"
    application = PrivateApplication.objects.get()
    over = client.post(api + "/applications", {"school": west.code, "sms_code": code()},
                       content_type="application/json", **auth)
    assert over.status_code == 400 and over.json()["errors"]["__all__"][0]["message"] == "最多可报 1 所民办学校。"
    changed = client.put(f"{api}/applications/{application.pk}", {"school": west.code, "sms_code": code()},
                         content_type="application/json", **auth)
    assert changed.status_code == 200 and changed.json()["applications"][0]["school"]["code"] == west.code
    gone = client.post(f"{api}/applications/{application.pk}/withdrawal", {"sms_code": code()},
                       content_type="application/json", **auth)
    assert gone.status_code == 200 and gone.json()["applications"][0]["state"] == "withdrawn"
    assert states(student) == [(west.name, "withdrawn")]
