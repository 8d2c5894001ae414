"""R30: a few days before its district's school-check days open, each family ready to print gets one
reminder with the dates and what to bring, from the scheduler's daily job run by an RQ worker; never
twice, never to a family already pre-admitted, not yet where the district's days are further off."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, HukouCategory, Stage
from apps.bj_enrollment.models import Application, Campaign, CampaignWindow
from apps.bj_enrollment.services import reminders
from apps.lowcode.messaging.backends import locmem
from apps.lowcode.messaging.models import MessageLog
from tests import factories

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def shown(moment: dt.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


@pytest.fixture
def reminder_city(city, settings):
    """School checks open city-wide tomorrow at 8:30; the west district opens its own in 4 days."""
    settings.SMS_ADAPTER = "locmem"
    locmem.outbox.clear()
    windows = CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.SCHOOL_CHECK)
    windows.update(opens_at=at(1, 8, 30), closes_at=at(6, 17))
    CampaignWindow.objects.create(
        campaign=city.campaign, stage=Stage.SCHOOL_CHECK, district=city.west, opens_at=at(4, 9), closes_at=at(6, 17)
    )
    city.pre_admitted = factories.application(
        city.campaign, factories.child("钱已录"), city.east, city.east_school, ApplicationState.PRE_ADMITTED,
        mobile="13922220000",
    )
    return city


def run_the_daily_job(queue, run_jobs):
    queue.enqueue(reminders.remind_school_check)
    run_jobs()  # the job, which queues the messages
    run_jobs()  # their delivery


def texts_to(mobile):
    return [m.text for m in locmem.outbox if m.to == mobile]


def test_one_reminder_over_two_runs_only_where_the_days_are_near(reminder_city, queue, run_jobs):
    city = reminder_city
    run_the_daily_job(queue, run_jobs)
    run_the_daily_job(queue, run_jobs)
    assert texts_to(city.east_app.mobile) == [
        f"【北京市义务教育入学服务平台】李东东（编号{city.east_app.form_number}）的学校现场审核将于"
        f"{shown(at(1, 8, 30))}至{shown(at(6, 17))}进行，请携带打印的入学登记表及户口簿、房产或居住证明等材料原件，"
        "按史家胡同小学的通知到校审核。"
    ]
    assert texts_to(city.pre_admitted.mobile) == []  # already pre-admitted
    assert texts_to(city.west_app.mobile) == []  # the west district's days are 4 days off
    assert MessageLog.objects.filter(event=reminders.SCHOOL_CHECK_EVENT).count() == 1
    assert Application.objects.get(pk=city.east_app.pk).state == ApplicationState.READY_TO_PRINT  # only told


def test_the_campaign_sets_how_many_days_before(reminder_city, queue, run_jobs):
    city = reminder_city
    Campaign.objects.filter(pk=city.campaign.pk).update(school_check_reminder_days=4)
    run_the_daily_job(queue, run_jobs)
    (text,) = texts_to(city.west_app.mobile)
    assert f"将于{shown(at(4, 9))}至{shown(at(6, 17))}进行" in text and "育民小学" in text
    Campaign.objects.filter(pk=city.campaign.pk).update(school_check_reminder_days=0)
    locmem.outbox.clear()
    MessageLog.objects.all().delete()
    run_the_daily_job(queue, run_jobs)
    assert locmem.outbox == []


def test_no_reminder_once_the_days_have_begun_or_while_a_decision_is_hidden(reminder_city, queue, run_jobs):
    """R20: a non-local family's "ready to print" tells the five-certificate decision; before the
    district's results date the reminder would tell it too."""
    city = reminder_city
    Application.objects.filter(pk=city.east_app.pk).update(hukou_category=HukouCategory.NONLOCAL)
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.FIVE_CERTIFICATE_RESULTS).update(
        opens_at=at(2, 9), closes_at=at(9, 17)
    )
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.SCHOOL_CHECK, district=city.west).update(
        opens_at=timezone.now() - dt.timedelta(hours=1)
    )
    Campaign.objects.filter(pk=city.campaign.pk).update(school_check_reminder_days=4)
    run_the_daily_job(queue, run_jobs)
    assert locmem.outbox == [] and not MessageLog.objects.exists()
