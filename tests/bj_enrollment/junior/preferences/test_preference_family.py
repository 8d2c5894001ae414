"""The family's preference page and API through HTTP (/portal/junior/preferences/, /api/v1/junior/preferences):
ranking with plain buttons, limits, confirmation by SMS code, the window; refusals in Chinese with
the lists unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import Stage
from apps.bj_enrollment.models import CampaignWindow, Preference
from tests.bj_enrollment.junior.family.test_family_api import token_for
from tests.bj_enrollment.junior.family.test_family_portal import log_in
from tests.bj_enrollment.portal import sms

pytestmark = pytest.mark.django_db
API = "/api/v1/junior/preferences"


def listed(student, kind):
    return list(
        Preference.objects.filter(preference_list__student=student, preference_list__kind=kind)
        .order_by("rank").values_list("school__code", flat=True)
    )


def page(client):
    response = client.get(reverse("portal-junior:preferences"))
    assert response.status_code == 200
    return response.content.decode()


def press(client, op, **data):
    response = client.post(reverse("portal-junior:preferences"), {"op": op, **data})
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def code_sent(run_jobs, mobile):
    run_jobs()
    return re.search(r"(?<!\d)\d{6}(?!\d)", sms.texts_to(mobile)[-1]).group(0)


def close_window(campaign):
    now = timezone.now()
    CampaignWindow.objects.filter(campaign=campaign, stage=Stage.JUNIOR_REGISTRATION).update(
        opens_at=now - dt.timedelta(days=5), closes_at=now - dt.timedelta(minutes=1)
    )


def test_rank_with_buttons_and_confirm_on_the_portal(client, prefs, run_jobs):
    a, b, c, d = prefs.schools
    log_in(client, prefs.student)
    assert 'id="preferences-link"' in client.get(reverse("portal-junior:home")).content.decode()
    html = page(client)
    assert "志愿填报" in html and 'href="/chances/"' in html and "<script>" not in html and " onclick" not in html
    assert prefs.private.name not in html and prefs.junior.west_junior.name not in html
    for school in (a, b, c):
        press(client, f"add:{school.code}")
    assert listed(prefs.student, "draft") == [a.code, b.code, c.code]
    html = press(client, f"add:{d.code}")  # a fourth: the district allows three
    assert "最多可填报 3 所学校" in html
    assert listed(prefs.student, "draft") == [a.code, b.code, c.code]
    press(client, f"up:{c.code}")
    press(client, f"down:{a.code}")
    press(client, f"remove:{b.code}")
    assert listed(prefs.student, "draft") == [c.code, a.code]
    assert listed(prefs.student, "confirmed") == []

    press(client, "send_code")
    right = code_sent(run_jobs, prefs.student.mobile)
    html = press(client, "confirm", sms_code="000000" if right != "000000" else "111111")
    assert "验证码" in html and listed(prefs.student, "confirmed") == []
    html = press(client, "confirm", sms_code=right)
    assert listed(prefs.student, "confirmed") == [c.code, a.code]
    assert 'id="confirmed-list"' in html


def test_outside_the_window_the_page_changes_nothing(client, prefs):
    a = prefs.schools[0]
    log_in(client, prefs.student)
    press(client, f"add:{a.code}")
    close_window(prefs.student.campaign)
    html = press(client, f"add:{prefs.schools[1].code}")
    assert "当前不在志愿填报时间内" in html
    assert listed(prefs.student, "draft") == [a.code]
    assert 'name="op" value="add:' not in html  # no buttons once closed


def test_the_page_needs_the_family_session(client, prefs):
    response = client.get(reverse("portal-junior:preferences"))
    assert response.status_code == 302 and response["Location"] == reverse("portal-junior:login")


def test_the_api_saves_confirms_and_refuses_in_chinese(client, prefs, run_jobs):
    a, b, c, _d = prefs.schools
    auth = token_for(client, run_jobs, prefs.student)
    body = client.get(API, **auth).json()
    assert body["max_choices"] == 3 and body["open"] is True and body["chances_url"] == "/chances/"
    assert {s["code"] for s in body["allowed"]} == {s.code for s in prefs.schools}

    saved = client.put(API + "/draft", {"schools": [b.code, a.code]}, content_type="application/json", **auth)
    assert saved.status_code == 200 and [s["code"] for s in saved.json()["draft"]] == [b.code, a.code]
    for wanted, message in [
        ([a.code, a.code], "学校重复填报"),
        ([prefs.private.code], "不能填报此学校"),
        ([s.code for s in prefs.schools], "最多可填报 3 所学校"),
    ]:
        refused = client.put(API + "/draft", {"schools": wanted}, content_type="application/json", **auth)
        assert refused.status_code == 400
        assert message in refused.json()["errors"]["schools"][0]["message"]
        assert listed(prefs.student, "draft") == [b.code, a.code]

    cache.delete_pattern("portal:sms:*:sent")  # the log-in's code was sent a moment ago
    assert client.post(API + "/sms-code", **auth).status_code == 202
    right = code_sent(run_jobs, prefs.student.mobile)
    wrong = client.post(API + "/confirmation", {"sms_code": "000000" if right != "000000" else "111111"},
                        content_type="application/json", **auth)
    assert wrong.status_code == 400 and "sms_code" in wrong.json()["errors"]
    assert listed(prefs.student, "confirmed") == []
    done = client.post(API + "/confirmation", {"sms_code": right}, content_type="application/json", **auth)
    assert done.status_code == 200 and [s["code"] for s in done.json()["confirmed"]] == [b.code, a.code]
    assert done.json()["pending"] is False and done.json()["confirmed_at"]

    close_window(prefs.student.campaign)
    late = client.put(API + "/draft", {"schools": [c.code]}, content_type="application/json", **auth)
    assert late.status_code == 400 and "当前不在志愿填报时间内" in str(late.json())
    assert listed(prefs.student, "draft") == [b.code, a.code]
    assert listed(prefs.student, "confirmed") == [b.code, a.code]


def test_the_api_needs_the_family_token(client, prefs):
    assert client.get(API).status_code == 401
    assert client.put(API + "/draft", {"schools": []}, content_type="application/json").status_code == 401
