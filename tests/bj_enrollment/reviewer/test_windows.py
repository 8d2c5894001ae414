"""R1: each stage's acts only in its window, for the application's district; districts set their own
dates inside the city's, and only their own."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.models import Application, CampaignWindow
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def workflow(client, app, action, state):
    url = f"/desk/bj_enrollment/application/{app.pk}/workflow/"
    return client.post(url, {"action": action, "state": state, "reason": "材料不全"}, follow=True)


def move_window(city, stage, opens, closes, district=None):
    now = timezone.now()
    CampaignWindow.objects.update_or_create(
        campaign=city.campaign, stage=stage, district=district,
        defaults={"opens_at": now + opens, "closes_at": now + closes},
    )


def messages(response):
    return [str(m) for m in response.context["messages"]]


def test_school_cannot_pre_admit_before_the_school_check_days(client, city):
    move_window(city, Stage.SCHOOL_CHECK, 2 * DAY, 5 * DAY)
    client.force_login(city.east_school_reviewer)
    response = workflow(client, city.east_app, "Pre-admit", S.READY_TO_PRINT)
    assert any("学校初验" in m and "现在不能" in m for m in messages(response)), messages(response)
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT
    assert not TransitionRecord.objects.filter(object_id=str(city.east_app.pk)).exists()


def test_school_pre_admits_inside_the_window(client, city):
    move_window(city, Stage.SCHOOL_CHECK, -DAY, DAY)
    client.force_login(city.east_school_reviewer)
    workflow(client, city.east_app, "Pre-admit", S.READY_TO_PRINT)
    assert Application.objects.get(pk=city.east_app.pk).state == S.PRE_ADMITTED


def test_a_districts_own_window_decides_for_its_applications(client, city):
    move_window(city, Stage.SCHOOL_CHECK, -DAY, 10 * DAY)
    move_window(city, Stage.SCHOOL_CHECK, 3 * DAY, 5 * DAY, district=city.east)  # east checks later
    client.force_login(city.east_school_reviewer)
    workflow(client, city.east_app, "Pre-admit", S.READY_TO_PRINT)
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT


def test_district_confirms_only_in_its_window(client, city):
    factories.put_in_state(city.east_app, S.PRE_ADMITTED)
    move_window(city, Stage.DISTRICT_CONFIRMATION, -3 * DAY, -DAY)  # over
    client.force_login(city.east_reviewer)
    response = workflow(client, city.east_app, "Confirm admission", S.PRE_ADMITTED)
    assert any("区教委确认" in m and "现在不能" in m for m in messages(response)), messages(response)
    assert Application.objects.get(pk=city.east_app.pk).state == S.PRE_ADMITTED


@pytest.fixture
def district_admin(city):
    user = factories.staff("east-admin", roles.DISTRICT_ADMIN, district_=city.east)
    assert Group.objects.get(name=roles.DISTRICT_ADMIN).permissions.filter(codename="add_campaignwindow").exists()
    return user


def window_form(city, stage, opens, closes, district):
    now = timezone.localtime()
    return {
        "campaign": city.campaign.pk, "stage": stage, "district": district.pk if district else "",
        "opens_at_0": (now + opens).strftime("%Y-%m-%d"), "opens_at_1": "08:00:00",
        "closes_at_0": (now + closes).strftime("%Y-%m-%d"), "closes_at_1": "17:00:00",
    }


def test_district_sets_its_own_dates_inside_the_citys(client, city, district_admin):
    client.force_login(district_admin)
    add = reverse("admin:bj_enrollment_campaignwindow_add")
    outside = client.post(add, window_form(city, Stage.SCHOOL_CHECK, -10 * DAY, DAY, city.east))
    assert outside.status_code == 200 and "必须在全市时间之内" in outside.content.decode()
    assert not CampaignWindow.objects.filter(district=city.east).exists()
    inside = client.post(add, window_form(city, Stage.SCHOOL_CHECK, DAY, 2 * DAY, city.east))
    assert inside.status_code == 302
    assert CampaignWindow.objects.filter(district=city.east, stage=Stage.SCHOOL_CHECK).exists()


def test_district_cannot_touch_the_citys_or_another_districts_dates(client, city, district_admin):
    west = CampaignWindow.objects.create(
        campaign=city.campaign, stage=Stage.SCHOOL_CHECK, district=city.west,
        opens_at=timezone.now(), closes_at=timezone.now() + DAY,
    )
    city_window = city.campaign.windows.get(stage=Stage.SCHOOL_CHECK, district=None)
    client.force_login(district_admin)
    before = list(CampaignWindow.objects.order_by("pk").values())
    for window in (west, city_window):
        url = reverse("admin:bj_enrollment_campaignwindow_change", args=[window.pk])
        assert client.post(url, window_form(city, Stage.SCHOOL_CHECK, DAY, 2 * DAY, city.east)).status_code == 403
    add = reverse("admin:bj_enrollment_campaignwindow_add")
    response = client.post(add, window_form(city, Stage.SCHOOL_CHECK, DAY, 2 * DAY, city.west))
    assert response.status_code == 200  # west is not a choice
    assert list(CampaignWindow.objects.order_by("pk").values()) == before


def test_city_cannot_shrink_its_window_past_a_districts(client, city):
    CampaignWindow.objects.create(
        campaign=city.campaign, stage=Stage.SCHOOL_CHECK, district=city.east,
        opens_at=timezone.now() + 5 * DAY, closes_at=timezone.now() + 6 * DAY,
    )
    city_window = city.campaign.windows.get(stage=Stage.SCHOOL_CHECK, district=None)
    client.force_login(city.city_admin)
    url = reverse("admin:bj_enrollment_campaignwindow_change", args=[city_window.pk])
    response = client.post(url, window_form(city, Stage.SCHOOL_CHECK, -DAY, DAY, None))
    assert response.status_code == 200 and "东城区" in response.content.decode()
    city_window.refresh_from_db()
    assert city_window.closes_at > timezone.now() + 6 * DAY


def test_a_campaign_has_only_its_levels_stages(client, city):
    """A primary campaign takes no junior-high stage (e.g. the transfer window), and the start page lists
    only the campaign's own stages."""
    client.force_login(city.city_admin)
    before = CampaignWindow.objects.count()
    response = client.post(
        reverse("admin:bj_enrollment_campaignwindow_add"), window_form(city, Stage.TRANSFER, DAY, 2 * DAY, None)
    )
    assert response.status_code == 200 and "该阶段不属于本招生年度" in response.content.decode()
    assert CampaignWindow.objects.count() == before
    start = client.get(reverse("portal:start")).content.decode()
    assert "学校初验" in start and "转区申请" not in start and "毕业生信息确认" not in start
