"""The workflow engine on the enrollment application's default workflow: who may act, conditions,
reasons, self-approval, terminal states, the document user and background jobs, races, records."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import HukouCategory
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow import engine, errors
from apps.lowcode.workflow.models import TransitionRecord

pytestmark = pytest.mark.django_db


def _state(app, state, **fields):
    Application.objects.filter(pk=app.pk).update(state=state, **fields)
    return Application.objects.get(pk=app.pk)


def _actions(user, app, **kw):
    return [t.action for t in engine.available_actions(user, app, **kw)]


def test_school_reviewer_pre_admits_and_record_is_written(city):
    app = city.east_app
    record = engine.apply_action(city.east_school_reviewer, app, "Pre-admit")
    app.refresh_from_db()
    assert app.state == S.PRE_ADMITTED
    assert (record.from_state, record.to_state, record.user, record.action) == (
        S.READY_TO_PRINT,
        S.PRE_ADMITTED,
        city.east_school_reviewer,
        "Pre-admit",
    )
    assert list(engine.history(app)) == [record]


def test_role_without_transition_refused(city):
    with pytest.raises(errors.NotAllowed):
        engine.apply_action(city.east_reviewer, city.east_app, "Pre-admit")  # a school's action
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT


def test_right_role_out_of_scope_refused(city):
    app = _state(city.west_app, S.PRE_ADMITTED)
    assert _actions(city.east_reviewer, app) == []
    with pytest.raises(errors.NotAllowed):
        engine.apply_action(city.east_reviewer, app, "Confirm admission")
    assert Application.objects.get(pk=app.pk).state == S.PRE_ADMITTED


def test_reason_required_refused_without_reason(city):
    with pytest.raises(errors.ReasonRequired):
        engine.apply_action(city.east_school_reviewer, city.east_app, "Reject", "   ")
    engine.apply_action(city.east_school_reviewer, city.east_app, "Reject", "不在服务片区")
    assert engine.history(city.east_app).get().reason == "不在服务片区"


def test_condition_picks_the_transition_by_hukou(city):
    local = _state(city.east_app, S.IDENTITY_CHECK)
    nonlocal_app = _state(city.west_app, S.IDENTITY_CHECK, hukou_category=HukouCategory.NONLOCAL)
    assert "Identity verified (Beijing hukou)" in _actions(None, local, system=True)
    assert "Identity verified (non-Beijing hukou)" not in _actions(None, local, system=True)
    with pytest.raises(errors.ConditionNotMet):
        engine.apply_action(None, nonlocal_app, "Identity verified (Beijing hukou)", system=True)
    engine.apply_action(None, nonlocal_app, "Identity verified (non-Beijing hukou)", system=True)
    assert Application.objects.get(pk=nonlocal_app.pk).state == S.FIVE_CERTIFICATE_REVIEW


def test_system_transition_needs_system_flag(city):
    app = _state(city.east_app, S.IDENTITY_CHECK)
    with pytest.raises(errors.NotAllowed):
        engine.apply_action(city.city_admin, app, "Identity verified (Beijing hukou)")
    record = engine.apply_action(None, app, "Identity verified (Beijing hukou)", system=True)
    assert record.user is None


def test_document_user_acts_on_own_application_only(city):
    parent = User.objects.create_user("24000001", password="x")
    mine = _state(city.east_app, S.REGISTERED, account=parent)
    other = _state(city.west_app, S.REGISTERED)
    engine.apply_action(parent, mine, "Submit details")
    engine.apply_action(parent, mine, "Withdraw to edit")
    with pytest.raises(errors.NotAllowed):
        engine.apply_action(parent, other, "Submit details")
    assert _actions(parent, other) == []


def test_self_approval_refused_for_a_reviewer_on_own_child(city):
    reviewer = city.east_school_reviewer
    app = _state(city.east_app, S.READY_TO_PRINT, account=reviewer)
    with pytest.raises(errors.SelfApprovalRefused):
        engine.apply_action(reviewer, app, "Pre-admit")
    engine.apply_action(reviewer, app, "Reject", "自己的孩子由他人审核")  # allowed: not an approval


def test_terminal_state_has_no_actions(city):
    app = _state(city.east_app, S.VOID)
    assert _actions(city.city_admin, app) == [] and _actions(None, app, system=True) == []
    with pytest.raises(errors.NoSuchAction):
        engine.apply_action(city.city_admin, app, "Cancel registration")


def test_unknown_action_refused_naming_it(city):
    with pytest.raises(errors.NoSuchAction) as info:
        engine.apply_action(city.east_school_reviewer, city.east_app, "Teleport")
    assert "Teleport" in str(info.value)


def test_stale_state_refused_as_already_changed(city):
    seen = Application.objects.get(pk=city.east_app.pk)
    engine.apply_action(city.east_school_reviewer, city.east_app, "Pre-admit")
    with pytest.raises(errors.AlreadyChanged) as info:
        engine.apply_action(city.east_school_reviewer, seen, "Reject", "晚了")
    assert city.east_school_reviewer.username in str(info.value)


def test_records_are_append_only(city):
    record = engine.apply_action(city.east_school_reviewer, city.east_app, "Pre-admit")
    record.reason = "changed"
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        record.delete()
    with pytest.raises(TypeError):
        TransitionRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(TypeError):
        TransitionRecord.objects.all().delete()


def test_bulk_apply_reports_each_document(city):
    west = _state(city.west_app, S.READY_TO_PRINT)
    outcome = engine.apply_action_to_each(city.east_school_reviewer, [city.east_app, west], "Pre-admit")
    assert outcome.applied == [city.east_app] and [d for d, _r in outcome.refused] == [west]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins_the_other_is_told_who(city):
    from apps.bj_enrollment import roles
    from tests.factories import staff

    second = staff("east-school-2", roles.SCHOOL_REVIEWER, school_=city.east_school)
    barrier, results = threading.Barrier(2), {}

    def act(user, action, reason):
        try:
            document = Application.objects.get(pk=city.east_app.pk)
            barrier.wait(timeout=10)
            engine.apply_action(user, document, action, reason)
            results[user.username] = "ok"
        except Exception as exc:  # noqa: BLE001  (any failure shows in the assertion)
            results[user.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(city.east_school_reviewer, "Pre-admit", "")),
        threading.Thread(target=act, args=(second, "Reject", "名额已满")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    wins = [name for name, r in results.items() if r == "ok"]
    losses = [r for r in results.values() if r != "ok"]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], errors.AlreadyChanged) and wins[0] in str(losses[0])
    assert TransitionRecord.objects.count() == 1
