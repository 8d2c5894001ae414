"""Lottery participant ids come from the child's identity under a campaign key (docs/lottery.md §2):
re-registering cannot change a child's id, and the published files name no form or ID number."""

import json
from types import SimpleNamespace

import pytest

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.lottery.inputs import applications_by_participant, participant_id
from apps.bj_enrollment.models import Campaign
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_child_registering_again_keeps_its_participant_id(city):
    old = city.east_app
    before = participant_id(city.campaign, old.child)
    factories.put_in_state(old, ApplicationState.CANCELLED)  # R33: cancelled, then registered again
    new = factories.application(city.campaign, old.child, city.east, city.east_school)
    assert new.form_number != old.form_number
    assert participant_id(city.campaign, new.child) == before
    run = SimpleNamespace(campaign=city.campaign, district=city.east)
    assert applications_by_participant(run, [before]) == {before: new.pk}  # the live application
    assert participant_id(city.campaign, old.child) != participant_id(city.campaign, city.west_app.child)


def test_ids_differ_between_campaigns_and_reveal_nothing(city):
    other = factories.campaign(city.campaign.year + 1)
    child = city.east_app.child
    assert Campaign.objects.get(pk=other.pk).lottery_key != Campaign.objects.get(pk=city.campaign.pk).lottery_key
    pid = participant_id(city.campaign, child)
    assert pid != participant_id(other, child)
    assert child.id_number not in pid and city.east_app.form_number not in pid
    assert len(pid) == 25 and pid.startswith("P")


def test_committed_input_names_no_form_or_id_number(client, city):
    from apps.bj_enrollment.models import LotteryRun
    from tests.bj_enrollment.lottery.test_runs import build_draw_city, create, desk, download, step

    draw_city = build_draw_city(city)
    desk(client, draw_city.east_reviewer)
    assert create(client, draw_city).status_code == 302
    run = LotteryRun.objects.get()
    assert step(client, run, "commit").status_code == 302
    published = download(client, run, "input.json").decode()
    assert json.loads(published)["participants"]
    for app in draw_city.zone_children:
        assert app.form_number not in published and app.child.id_number not in published
        assert participant_id(draw_city.campaign, app.child) in published
