"""R2/R6: what the portal refuses (an over-age child, a foreign passport) the district registers for
the family, within its own district, with the case recorded; every other rule still holds."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import translation

from apps.bj_enrollment.choices import ApplicationState, Gender, IdType
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.services import registration

pytestmark = pytest.mark.django_db
URL = "desk-on-behalf"


def form_data(city, **extra):
    born = city.campaign.cohort_start - dt.timedelta(days=200)  # a year too old for the portal
    data = {
        "district": city.east.pk, "nationality": "中国", "hukou_province": "北京市", "hukou_district": city.east.pk,
        "residence_district": city.east.pk, "child_name": "高龄童", "gender": Gender.MALE,
        "birth_date": born.isoformat(), "id_type": IdType.RESIDENT_ID,
        "id_number": make_resident_id("110101", born, 31, Gender.MALE), "guardian_name": "高大山",
        "mobile": "13700001111", "case": "over_age", "note": "经区教委审批同意延缓后入学（东教〔2026〕12号）",
    }
    data.update(extra)
    return data


def test_the_portal_refuses_an_over_age_child(city):
    data = form_data(city)
    reg = registration.Registration(
        campaign=city.campaign, district=city.east, nationality="中国", hukou_province="北京市",
        hukou_district=city.east, residence_district=city.east, child_name="高龄童", gender=Gender.MALE,
        birth_date=dt.date.fromisoformat(data["birth_date"]), id_type=IdType.RESIDENT_ID,
        id_number=data["id_number"], guardian_name="高大山", mobile="13700001111", password="Pass2026word",
    )
    assert [e.code for e in registration.check(reg)["birth_date"]] == ["over_age"]


def test_the_district_registers_it_with_the_case_recorded_and_the_parent_logs_in(client, city):
    client.force_login(city.east_reviewer)
    response = client.post(reverse(URL), form_data(city))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    done = response.context["done"]
    application, password = done["application"], done["password"]
    assert application.state == ApplicationState.REGISTERED and application.district == city.east
    assert "over" in application.remarks.lower() or "超龄" in application.remarks
    assert "东教〔2026〕12号" in application.remarks
    latest = application.history.first()
    assert latest.history_user == city.east_reviewer and "东教〔2026〕12号" in latest.history_change_reason
    assert authenticate(username=application.form_number, password=password) is not None
    assert password not in Application.objects.get(pk=application.pk).account.password  # only its hash


def test_a_foreign_passport_is_registered_as_a_district_case(client, city):
    client.force_login(city.east_reviewer)
    data = form_data(city, case="foreign", nationality="other", id_type=IdType.PASSPORT, id_number="E12345678",
                     hukou_province="河北省", hukou_district="", birth_date=city.campaign.age_cutoff.isoformat())
    response = client.post(reverse(URL), data)
    assert response.context["done"], response.context["form"].errors
    # the same case may not set the age aside
    over = form_data(city, case="foreign", id_number=make_resident_id("110101", dt.date(2018, 1, 5), 41, "male"),
                     birth_date="2018-01-05")
    refused = client.post(reverse(URL), over)
    assert not refused.context["done"] and "birth_date" in refused.context["form"].errors


def test_only_the_reviewers_own_district(client, city):
    client.force_login(city.east_reviewer)
    forged = client.post(reverse(URL), form_data(city, district=city.west.pk))
    assert not forged.context["done"] and "district" in forged.context["form"].errors
    assert not Application.objects.filter(child__name="高龄童").exists()


def test_school_reviewers_cannot_reach_the_page(client, city):
    client.force_login(city.east_school_reviewer)
    assert client.get(reverse(URL)).status_code == 403


def test_a_note_is_required_and_one_id_one_registration(client, city):
    client.force_login(city.east_reviewer)
    no_note = client.post(reverse(URL), form_data(city, note=""))
    assert "note" in no_note.context["form"].errors
    assert client.post(reverse(URL), form_data(city)).context["done"]
    with translation.override("en"):
        again = client.post(reverse("desk-on-behalf"), form_data(city, mobile="13700002222"))
    assert not again.context["done"]
    assert "already registered" in " ".join(again.context["form"].errors["id_number"])
