"""The preference rules as the family meets them (services/preferences.py, the one home of the gate):
the window, the limits, confirmation by SMS code, the freeze at the lottery's commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from apps.bj_enrollment.choices import Stage, StudentState
from apps.bj_enrollment.lottery import runs
from apps.bj_enrollment.models import (
    CampaignWindow,
    LotteryRun,
    Preference,
    PreferenceList,
    SchoolPlan,
    ServiceZone,
)
from apps.bj_enrollment.services import preferences
from tests import factories
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db


def codes(schools):
    return [s.code for s in schools]


def rows(student, kind):
    return list(
        Preference.objects.filter(preference_list__student=student, preference_list__kind=kind)
        .order_by("rank")
        .values_list("rank", "school__code")
    )


def error_codes_of(exc: ValidationError) -> list[str]:
    return [e.code for errors in exc.error_dict.values() for e in errors] if hasattr(exc, "error_dict") else [
        e.code for e in exc.error_list
    ]


def move_window(campaign, opens: dt.timedelta, closes: dt.timedelta):
    now = timezone.now()
    CampaignWindow.objects.filter(campaign=campaign, stage=Stage.JUNIOR_REGISTRATION).update(
        opens_at=now + opens, closes_at=now + closes
    )


@pytest.fixture
def send_and_read_code(run_jobs):
    """Ask for a code as the family does and read it from the text the SMS gateway received."""

    def send(student) -> str:
        cache.delete_pattern("portal:sms:*:sent")  # the family waited the resend interval
        request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
        preferences.send_confirmation_code(request, student)
        run_jobs()
        return sms.last_code(student.mobile)

    return send


@pytest.fixture
def confirm_list(send_and_read_code):
    def confirm(student, schools):
        preferences.save_draft(student, codes(schools))
        preferences.confirm(student, send_and_read_code(student), "portal")

    return confirm


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(dt.timedelta(days=1), dt.timedelta(days=5)), (dt.timedelta(days=-5), dt.timedelta(minutes=-1))],
    ids=["before", "after"],
)
def test_outside_the_window_nothing_is_saved(prefs, opens, closes, send_and_read_code):
    preferences.save_draft(prefs.student, codes(prefs.schools[:2]))
    before = rows(prefs.student, "draft")
    move_window(prefs.student.campaign, opens, closes)

    with pytest.raises(ValidationError) as refused:
        preferences.save_draft(prefs.student, codes(prefs.schools[2:]))
    assert error_codes_of(refused.value) == ["preferences_closed"]
    with pytest.raises(ValidationError):
        send_and_read_code(prefs.student)
    assert sms.texts_to(prefs.student.mobile) == []
    assert rows(prefs.student, "draft") == before
    assert not PreferenceList.objects.filter(student=prefs.student, kind="confirmed").exists()


def test_inside_the_window_a_draft_is_saved_in_order_and_can_change(prefs):
    first = preferences.save_draft(prefs.student, codes([prefs.schools[2], prefs.schools[0]]))
    assert rows(prefs.student, "draft") == [(1, prefs.schools[2].code), (2, prefs.schools[0].code)]
    assert first == [prefs.schools[2], prefs.schools[0]]
    preferences.save_draft(prefs.student, codes([prefs.schools[0], prefs.schools[2], prefs.schools[1]]))
    assert rows(prefs.student, "draft") == [(i + 1, s.code) for i, s in
                                           enumerate([prefs.schools[0], prefs.schools[2], prefs.schools[1]])]
    assert rows(prefs.student, "confirmed") == []  # a draft is not what the lottery reads


def test_no_window_scheduled_means_closed(prefs):
    CampaignWindow.objects.filter(campaign=prefs.student.campaign, stage=Stage.JUNIOR_REGISTRATION).delete()
    with pytest.raises(ValidationError) as refused:
        preferences.save_draft(prefs.student, codes(prefs.schools[:1]))
    assert error_codes_of(refused.value) == ["preferences_closed"]
    assert not PreferenceList.objects.filter(student=prefs.student).exists()


@pytest.mark.parametrize(
    ("which", "code"),
    [
        ("too_many", "preferences_too_many"),
        ("private", "preferences_not_allowed"),
        ("other_district", "preferences_not_allowed"),
        ("primary", "preferences_not_allowed"),
        ("duplicate", "preferences_duplicate"),
        ("unknown", "preferences_not_allowed"),
    ],
)
def test_limits_refuse_and_keep_the_draft(prefs, which, code):
    preferences.save_draft(prefs.student, codes(prefs.schools[:2]))
    before = rows(prefs.student, "draft")
    wanted = {
        "too_many": codes(prefs.schools),  # four, the district allows three
        "private": codes([prefs.schools[0], prefs.private]),
        "other_district": codes([prefs.junior.west_junior]),
        "primary": codes([prefs.junior.east_primary]),
        "duplicate": codes([prefs.schools[1], prefs.schools[0], prefs.schools[1]]),
        "unknown": ["9999999999"],
    }[which]
    with pytest.raises(ValidationError) as refused:
        preferences.save_draft(prefs.student, wanted)
    assert error_codes_of(refused.value) == [code]
    assert rows(prefs.student, "draft") == before


def test_the_zone_setting_narrows_the_schools(prefs):
    zone = ServiceZone.objects.create(district=prefs.student.district, name="东城第一学区")
    zone.schools.set([prefs.junior.east_primary, prefs.schools[1]])
    prefs.setting.within_zone = True
    prefs.setting.save()
    assert list(preferences.allowed_schools(prefs.student)) == [prefs.schools[1]]
    with pytest.raises(ValidationError):
        preferences.save_draft(prefs.student, codes([prefs.schools[0]]))
    preferences.save_draft(prefs.student, codes([prefs.schools[1]]))


def test_a_district_without_a_setting_offers_no_preferences(prefs):
    prefs.setting.delete()
    with pytest.raises(ValidationError) as refused:
        preferences.save_draft(prefs.student, codes(prefs.schools[:1]))
    assert error_codes_of(refused.value) == ["preferences_not_offered"]


def test_data_not_yet_confirmed_by_the_family_is_refused(prefs):
    factories.put_in_state(prefs.student, StudentState.AWAITING_CONFIRMATION)
    with pytest.raises(ValidationError) as refused:
        preferences.save_draft(prefs.student, codes(prefs.schools[:1]))
    assert error_codes_of(refused.value) == ["preferences_not_ready"]
    assert not PreferenceList.objects.filter(student=prefs.student).exists()


def test_confirmation_needs_the_code_sent_to_the_mobile_on_file(prefs, confirm_list, send_and_read_code):
    confirm_list(prefs.student, prefs.schools[:2])
    confirmed = rows(prefs.student, "confirmed")
    assert confirmed == [(1, prefs.schools[0].code), (2, prefs.schools[1].code)]
    first_time = PreferenceList.objects.get(student=prefs.student, kind="confirmed").confirmed_at

    preferences.save_draft(prefs.student, codes([prefs.schools[2]]))
    right = send_and_read_code(prefs.student)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ValidationError) as refused:
        preferences.confirm(prefs.student, wrong, "portal")
    assert list(refused.value.error_dict) == ["sms_code"]
    assert rows(prefs.student, "confirmed") == confirmed  # the lottery still reads the earlier list
    assert PreferenceList.objects.get(student=prefs.student, kind="confirmed").confirmed_at == first_time

    preferences.confirm(prefs.student, right, "portal")
    assert rows(prefs.student, "confirmed") == [(1, prefs.schools[2].code)]
    with pytest.raises(ValidationError):  # a code is spent once
        preferences.confirm(prefs.student, right, "portal")


def test_an_empty_draft_cannot_be_confirmed(prefs):
    with pytest.raises(ValidationError) as refused:
        preferences.confirm(prefs.student, "123456", "portal")
    assert error_codes_of(refused.value) == ["preferences_empty"]


def test_the_committed_input_keeps_the_list_confirmed_before_the_commit(prefs, junior, confirm_list):
    for school in prefs.schools:
        SchoolPlan.objects.create(campaign=junior.campaign, school=school, seats=1)
    other = factories.put_in_state(
        factories.student(junior.campaign, junior.east_primary, "王东明", mobile="13912340077"),
        StudentState.CONFIRMED,
    )
    confirm_list(prefs.student, [prefs.schools[1], prefs.schools[0]])
    run = runs.create_run(junior.east_reviewer, campaign=junior.campaign, district=prefs.student.district,
                          zone=None, mode=LotteryRun.Mode.PREFERENCE, title="东城区小升初派位")
    run = runs.commit_input(run, junior.east_reviewer)
    frozen = run.input_document
    by_pref = sorted(p["preferences"] for p in frozen["participants"])
    assert by_pref == sorted([codes([prefs.schools[1], prefs.schools[0]]),
                              sorted(codes(prefs.schools), key=lambda c: next(s.name for s in prefs.schools
                                                                             if s.code == c))])
    assert other.pk  # without a confirmed list: the schools in name order

    sms.clear()
    confirm_list(prefs.student, [prefs.schools[3]])  # still inside the window: allowed, but too late for the run
    run.refresh_from_db()
    assert run.input_document == frozen
    assert run.input_commitment
    fresh, _ids = runs.build_input(run)
    assert [prefs.schools[3].code] in [p["preferences"] for p in fresh["participants"]]


def test_withdraw_removes_both_lists(prefs, confirm_list):
    confirm_list(prefs.student, prefs.schools[:1])
    preferences.withdraw(prefs.student)
    assert not PreferenceList.objects.filter(student=prefs.student).exists()
    assert preferences.confirmed_codes([prefs.student.pk]) == {}
