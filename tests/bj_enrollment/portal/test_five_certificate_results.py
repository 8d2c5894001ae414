"""R20: a five-certificate decision reaches the parent only from the district's results date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import HukouCategory, Stage
from apps.bj_enrollment.models import Application, CampaignWindow
from tests.bj_enrollment.portal.test_status import _login

pytestmark = pytest.mark.django_db


@pytest.fixture
def results_in_two_days(city):
    now = timezone.now()
    CampaignWindow.objects.update_or_create(
        campaign=city.campaign, stage=Stage.FIVE_CERTIFICATE_RESULTS, district=None,
        defaults={"opens_at": now + dt.timedelta(days=2), "closes_at": now + dt.timedelta(days=30)},
    )
    Application.objects.filter(pk=city.east_app.pk).update(hukou_category=HukouCategory.NONLOCAL)
    return city


@pytest.mark.parametrize("state", [S.READY_TO_PRINT, S.FIVE_CERTIFICATE_REJECTED])
def test_before_the_date_the_parent_sees_the_review_under_way(client, results_in_two_days, state):
    _login(client, results_in_two_days.east_app, state)
    home = client.get(reverse("portal:home"))
    steps = {s.key: s.status for s in home.context["steps"]}
    assert steps[S.FIVE_CERTIFICATE_REVIEW] == "current" and not home.context["can_print"]
    printed = client.get(reverse("portal:print"), follow=True)
    assert printed.redirect_chain[-1][0] == reverse("portal:home")  # no form, no material number
    status = client.get("/api/v1/application").json()
    assert status["state"] == S.FIVE_CERTIFICATE_REVIEW


def test_from_the_date_the_decision_shows(client, results_in_two_days):
    CampaignWindow.objects.filter(stage=Stage.FIVE_CERTIFICATE_RESULTS).update(
        opens_at=timezone.now() - dt.timedelta(minutes=1)
    )
    _login(client, results_in_two_days.east_app, S.READY_TO_PRINT)
    home = client.get(reverse("portal:home"))
    assert {s.key: s.status for s in home.context["steps"]}[S.FIVE_CERTIFICATE_REVIEW] == "done"
    assert home.context["can_print"]
    assert client.get("/api/v1/application").json()["state"] == S.READY_TO_PRINT


def test_local_hukou_is_never_held_back(client, results_in_two_days):
    Application.objects.filter(pk=results_in_two_days.east_app.pk).update(hukou_category=HukouCategory.LOCAL)
    _login(client, results_in_two_days.east_app, S.READY_TO_PRINT)
    assert client.get(reverse("portal:home")).context["can_print"]
