"""District reviewers keep their own zones in the desk, and only theirs."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import ServiceZone, ZoneArea
from tests import factories

pytestmark = pytest.mark.django_db


def test_desk_lists_only_the_reviewers_district(zone_city, client):
    client.force_login(factories.staff("dc-list", "区教委审核员", district_=zone_city.dongcheng))
    page = client.get(reverse("admin:bj_enrollment_zonearea_changelist") + "?all=1").content.decode()
    assert "东四十条" in page and "中关村南大街" not in page
    other = ZoneArea.objects.filter(zone__district=zone_city.haidian).first()
    assert client.get(reverse("admin:bj_enrollment_zonearea_change", args=[other.pk])).status_code in (302, 403, 404)


def test_a_zone_cannot_be_created_in_another_district(zone_city, client):
    client.force_login(factories.staff("dc-add", "区教委审核员", district_=zone_city.dongcheng))
    url = reverse("admin:bj_enrollment_servicezone_add")
    form = client.get(url)
    assert form.status_code == 200
    choices = form.context["adminform"].form.fields["district"].queryset
    assert list(choices) == [zone_city.dongcheng]
    data = {"district": zone_city.haidian.pk, "name": "越界片区", "schools": [zone_city.schools["中一"].pk],
            "areas": "中关村大街"}
    response = client.post(url, data)
    assert response.status_code in (200, 403)
    assert not ServiceZone.objects.filter(name="越界片区").exists()
    data.update(district=zone_city.dongcheng.pk, schools=[zone_city.schools["史家"].pk], name="本区新片区")
    assert client.post(url, data).status_code == 302
    assert ServiceZone.objects.get(name="本区新片区").district == zone_city.dongcheng
