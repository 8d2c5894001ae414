"""What the portal says, as a family reads it (#12 portal wording): what is missing, in plain Chinese,
with the privacy policy one tap away; a cancelled account is called cancelled; full-width brackets
in a certificate number are the same certificate."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from apps.bj_enrollment.models import Application, Property
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.conftest import captcha_answer
from tests.bj_enrollment.portal.test_journey import MOBILE, PASSWORD, _form, _open_form

pytestmark = pytest.mark.django_db


def test_unticked_notice_and_policy_say_what_to_tick(client, city, run_jobs):
    page = _open_form(client)
    assert reverse("portal:privacy") in page
    client.post(reverse("portal:register"), {**_form(city), **captcha_answer(page), "send_code": "1"})
    run_jobs()
    body = _form(city, sms_code=sms.last_code(MOBILE))
    del body["notice_read"], body["privacy_accepted"]
    html = client.post(reverse("portal:register"), body).content.decode()
    assert "请勾选已阅读须知" in html and "请勾选同意隐私政策" in html and "此项为必填项" not in html
    assert not Application.objects.filter(mobile=MOBILE).exists()


def test_the_privacy_policy_is_there_to_read(client):
    html = client.get(reverse("portal:privacy")).content.decode()
    assert "隐私政策" in html and "个人信息保护法" in html and "保存多久" in html


def test_too_long_a_name_is_said_plainly(client, city):
    page = _open_form(client)
    assert page
    html = client.post(reverse("portal:register"), {**_form(city, child_name="长" * 70), "sms_code": "123456"}
                       ).content.decode()
    assert "最多可填写 64 个字，现在是 70 个。" in html and "确保" not in html


def test_a_cancelled_account_is_told_so_only_with_its_password(client, city):
    user = User.objects.create_user(city.east_app.form_number, password=PASSWORD, is_active=False)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    right = client.post(reverse("portal:login"), {"username": user.username, "password": PASSWORD})
    assert "该账号已注销" in right.content.decode() and not right.wsgi_request.user.is_authenticated
    wrong = client.post(reverse("portal:login"), {"username": user.username, "password": "Wrong-2026x"})
    assert "该账号已注销" not in wrong.content.decode()


def test_full_width_brackets_in_a_certificate_number_are_the_same_certificate(client, city, parent):
    draft = {
        "property-certificate_number": "京（２０１９）不动产权第 0012345 号",
        "property-owners": "王大明", "property-owner_relationship": "父亲", "property-family_owned": "on",
        "property-address": "东四十条1号", "property-district": city.east.pk, "property-certificate_date": "2019-06-01",
        "draft": "1",
    }
    assert client.post(reverse("portal:details"), draft).status_code == 302
    assert Property.objects.get(application=parent).certificate_number == "京(2019)不动产权第0012345号"


def test_the_start_page_shows_the_dates_before_any_form(client, city):
    """R1: a family sees when each stage runs before it fills anything in."""
    from django.utils import timezone

    from apps.bj_enrollment.choices import Stage

    window = city.campaign.windows.get(stage=Stage.REGISTRATION, district=None)
    html = client.get(reverse("portal:start")).content.decode()
    opens = timezone.localtime(window.opens_at)
    assert "报名" in html and f"{opens.month}月{opens.day}日 {opens:%H:%M}" in html
