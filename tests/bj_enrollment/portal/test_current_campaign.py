"""The families' portal, the API, the zone look-up and the desk's register-on-behalf all take the
primary-school campaign (`Campaign.current`), also when the same year's junior-high campaign is active:
the portal used to pick either, by year only."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.bj_enrollment.models import Campaign
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("junior_year_offset", [0, 1])  # the same year, and a later one
def test_the_primary_portal_never_takes_the_junior_high_campaign(city, junior_year_offset):
    junior = factories.junior_campaign(city.campaign.year + junior_year_offset)
    assert junior.active and Campaign.current() == city.campaign
    page = Client().get(reverse("portal:start")).content.decode()
    assert city.campaign.name in page and junior.name not in page
    registration = Client().get(reverse("portal:register")).content.decode()
    assert junior.name not in registration
    assert Campaign.current("junior") == junior
