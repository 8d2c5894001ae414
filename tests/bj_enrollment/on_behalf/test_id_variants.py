"""#11.8 at the desk's registration on a family's behalf: the same normal form and ASCII-only check as
the portal, since both go through the one registration service."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import Application, Child
from tests.bj_enrollment.on_behalf.test_on_behalf import URL, form_data

pytestmark = pytest.mark.django_db
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture
def reviewer(client, city, settings):
    settings.STAFF_2FA = False  # the second factor is not what these tests are about
    client.force_login(city.east_reviewer)
    return client


def test_an_arabic_indic_digit_is_refused_and_a_full_width_twin_is_the_same_child(reviewer, city):
    number = form_data(city)["id_number"]
    before = Application.objects.count(), Child.objects.count()
    variant = number[:10] + number[10].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + number[11:]
    refused = reviewer.post(reverse(URL), form_data(city, id_number=variant))
    assert not refused.context["done"]
    assert "居民身份证号码只能由数字 0-9 组成" in " ".join(refused.context["form"].errors["id_number"])
    assert (Application.objects.count(), Child.objects.count()) == before

    assert reviewer.post(reverse(URL), form_data(city, id_number=number.translate(FULL_WIDTH))).context["done"]
    assert Child.objects.get(name="高龄童").id_number == number
    twin = reviewer.post(reverse(URL), form_data(city, id_number=f" {number} ", mobile="13700002222"))
    assert not twin.context["done"]
    assert "该证件号码本年度已注册" in " ".join(twin.context["form"].errors["id_number"])
    assert Application.objects.filter(child__id_number=number).count() == 1
