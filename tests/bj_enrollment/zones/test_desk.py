"""District reviewers keep their own zones in the desk, and only theirs."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import ServiceZone, ZoneArea, ZoneLookup
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
    data = {
        "district": zone_city.haidian.pk,
        "name": "越界片区",
        "schools": [zone_city.schools["中一"].pk],
        "areas": "中关村大街",
    }
    response = client.post(url, data)
    assert response.status_code in (200, 403)
    assert not ServiceZone.objects.filter(name="越界片区").exists()
    data.update(district=zone_city.dongcheng.pk, schools=[zone_city.schools["史家"].pk], name="本区新片区")
    assert client.post(url, data).status_code == 302
    assert ServiceZone.objects.get(name="本区新片区").district == zone_city.dongcheng


def test_a_reviewer_edits_their_own_zone_rows_and_not_others(zone_city, client):
    client.force_login(factories.staff("dc-edit", "区教委审核员", district_=zone_city.dongcheng))
    own = ZoneArea.objects.get(road="东四十条", parity="odd")
    url = reverse("admin:bj_enrollment_zonearea_change", args=[own.pk])
    data = {"zone": own.zone_id, "road": "东四十条", "compound": "", "number_from": 1, "number_to": 61, "parity": "odd"}
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.number_to == 61
    other = ZoneArea.objects.get(road="中关村南大街", number_from=1)
    data = {
        "zone": other.zone_id,
        "road": "中关村南大街",
        "compound": "",
        "number_from": 1,
        "number_to": 99,
        "parity": "all",
    }
    client.post(reverse("admin:bj_enrollment_zonearea_change", args=[other.pk]), data)
    other.refresh_from_db()
    assert other.number_to == 50
    # nor can an own row be moved into another district's zone
    data = {
        "zone": other.zone_id,
        "road": "东四十条",
        "compound": "",
        "number_from": 1,
        "number_to": 61,
        "parity": "odd",
    }
    client.post(url, data)
    own.refresh_from_db()
    assert own.zone.district == zone_city.dongcheng


def test_the_look_up_log_shows_only_the_reviewers_district_and_finds_an_id(zone_city, client):
    from apps.bj_enrollment.zones.service import look_up_zone
    from tests.bj_enrollment.zones.conftest import new_id

    person = new_id()
    look_up_zone(person, "东城区东四十条1号", campaign=zone_city.campaign)
    look_up_zone(person, "海淀区中关村南大街5号", campaign=zone_city.campaign)
    look_up_zone(new_id(), "东城区府学胡同36号", campaign=zone_city.campaign)
    client.force_login(factories.staff("dc-log", "区教委审核员", district_=zone_city.dongcheng))
    changelist = reverse("admin:bj_enrollment_zonelookup_changelist")
    page = client.get(changelist + "?all=1").content.decode()
    assert "东四十条1号" in page and "府学胡同36号" in page and "中关村南大街5号" not in page
    assert person not in page  # the log holds and shows only the keyed hash
    found = client.get(changelist, {"q": person}, follow=True).content.decode()
    assert "东四十条1号" in found and "府学胡同36号" not in found
    haidian = ZoneLookup.objects.get(district=zone_city.haidian)
    change = "admin:bj_enrollment_zonelookup_change"
    assert client.get(reverse(change, args=[haidian.pk])).status_code in (302, 403, 404)
    own = ZoneLookup.objects.filter(district=zone_city.dongcheng).first()
    assert client.get(reverse(change, args=[own.pk])).status_code == 200


def test_desk_import_page_imports_a_good_file(zone_city, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.bj_enrollment.zones.test_import import HEADER

    client.force_login(factories.staff("dc-import", "区教委审核员", district_=zone_city.dongcheng))
    url = reverse("admin:bj_enrollment_zonearea_import_file")
    form = client.get(url)
    assert form.status_code == 200 and "单双号" in form.content.decode()  # the column help
    text = HEADER + "东城区,北新桥片,史家胡同小学,否,北新桥三条,,1,40,全部\n"
    upload = SimpleUploadedFile("zones.csv", text.encode("utf-8-sig"), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert ZoneArea.objects.filter(zone__name="北新桥片", zone__district=zone_city.dongcheng, number_to=40).exists()


def test_zone_rows_share_the_desk_import_screen_and_its_template(zone_city, client):
    import io

    from openpyxl import load_workbook

    client.force_login(factories.staff("dc-template", "区教委审核员", district_=zone_city.dongcheng))
    template = client.get(reverse("admin:bj_enrollment_zonearea_import_template"))
    assert template.status_code == 200
    headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert headers == [
        "区",
        "服务片区",
        "学校",
        "多校划片",
        "房产证日期界限",
        "街道路名",
        "小区",
        "起始号",
        "终止号",
        "单双号",
    ]
    page = client.get(reverse("admin:bj_enrollment_zonearea_import_file")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "文件中出现的片区将完全替换为文件中的范围行" in page
    descriptions = client.get(reverse("admin:bj_enrollment_zonearea_read_descriptions"))
    assert descriptions.status_code == 200
