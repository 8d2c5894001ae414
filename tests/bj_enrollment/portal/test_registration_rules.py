"""R2, R3, R9, R10, R11 and the ID checks at registration: each violation gets its own message and
nothing is stored."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState, Gender, IdType, Stage
from apps.bj_enrollment.models import Application, CampaignWindow, Child
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.services.registration import Registration, register

pytestmark = pytest.mark.django_db

BIRTH = dt.date(timezone.localdate().year - 6, 4, 2)


def _reg(city, **changes) -> Registration:
    base = Registration(
        campaign=city.campaign,
        district=city.east,
        nationality="中国",
        hukou_province="北京市",
        hukou_district=city.east,
        residence_district=city.east,
        child_name="陈一一",
        gender=Gender.FEMALE,
        birth_date=BIRTH,
        id_type=IdType.RESIDENT_ID,
        id_number=make_resident_id("110101", BIRTH, 321, Gender.FEMALE),
        guardian_name="陈大文",
        mobile="13700000001",
        password="Abcdef12",
    )
    return dataclasses.replace(base, **changes)


def _refused(reg: Registration) -> dict[str, list[str]]:
    before = (Application.objects.count(), Child.objects.count(), User.objects.count())
    with pytest.raises(ValidationError) as info:
        register(reg)
    assert (Application.objects.count(), Child.objects.count(), User.objects.count()) == before
    return {field: [e.code for e in errors] for field, errors in info.value.error_dict.items()}


def test_register_valid_creates_application_account_and_guardian(city):
    application = register(_reg(city))
    assert application.form_number.startswith(str(city.campaign.year)[2:])
    assert application.state == ApplicationState.REGISTERED
    assert application.account.username == application.form_number
    assert application.account.check_password("Abcdef12") and not application.account.is_staff
    assert application.guardians.get(position=1).phone == "13700000001"
    assert application.hukou_category == "local"


def test_register_too_young_refused(city):
    late = city.campaign.age_cutoff + dt.timedelta(days=1)
    codes = _refused(_reg(city, birth_date=late, id_number=make_resident_id("110101", late, 5, Gender.FEMALE)))
    assert codes["birth_date"] == ["too_young"]


def test_register_over_age_sent_to_district(city):
    early = city.campaign.cohort_start - dt.timedelta(days=1)
    codes = _refused(_reg(city, birth_date=early, id_number=make_resident_id("110101", early, 5, Gender.FEMALE)))
    assert codes["birth_date"] == ["over_age"]


def test_register_district_neither_hukou_nor_residence_refused(city):
    assert _refused(_reg(city, district=city.west))["district"] == ["wrong_district"]


def test_register_residence_district_differs_from_hukou_allowed(city):
    application = register(_reg(city, district=city.west, residence_district=city.west))
    assert application.district == city.west


def test_register_closed_window_refused(city):
    CampaignWindow.objects.filter(campaign=city.campaign, stage=Stage.REGISTRATION).update(
        closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert _refused(_reg(city))["district"] == ["window_closed"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda n: n[:17], "id_length"),
        (lambda n: n[:17] + ("0" if n[17] != "0" else "1"), "id_checksum"),
    ],
)
def test_register_bad_id_number_refused(city, change, code):
    number = make_resident_id("110101", BIRTH, 321, Gender.FEMALE)
    assert _refused(_reg(city, id_number=change(number)))["id_number"] == [code]


def test_register_id_birth_date_mismatch_refused(city):
    other = make_resident_id("110101", BIRTH + dt.timedelta(days=1), 321, Gender.FEMALE)
    assert _refused(_reg(city, id_number=other))["id_number"] == ["id_birth_date"]


def test_register_id_gender_mismatch_refused(city):
    assert _refused(_reg(city, gender=Gender.MALE))["id_number"] == ["id_gender"]


def test_register_same_id_twice_refused_in_any_district(city):
    register(_reg(city))
    codes = _refused(_reg(city, district=city.west, residence_district=city.west, mobile="13700000002"))
    assert codes["id_number"] == ["id_registered"]


def test_register_again_after_cancel_allowed(city):
    first = register(_reg(city))
    Application.objects.filter(pk=first.pk).update(state=ApplicationState.CANCELLED)
    second = register(_reg(city, district=city.west, residence_district=city.west))
    assert second.child_id == first.child_id and second.form_number != first.form_number


def test_register_fourth_account_on_one_mobile_refused(city):
    for seq in (1, 2, 3):
        register(_reg(city, id_number=make_resident_id("110101", BIRTH, seq, Gender.FEMALE)))
    codes = _refused(_reg(city, id_number=make_resident_id("110101", BIRTH, 4, Gender.FEMALE)))
    assert codes["mobile"] == ["mobile_limit"]


@pytest.mark.parametrize(("password", "code"), [("Ab1", "password_length"), ("abcdefgh1", "password_classes")])
def test_register_weak_password_refused(city, password, code):
    assert _refused(_reg(city, password=password))["password"] == [code]


def test_register_beijing_hukou_without_district_refused(city):
    assert "required" in _refused(_reg(city, hukou_district=None, residence_district=None))["hukou_district"]


def test_register_foreign_document_sent_to_district(city):
    assert _refused(_reg(city, id_type=IdType.PASSPORT, id_number="E12345678"))["id_type"] == ["district_handled"]


def test_register_reports_all_problems_at_once(city):
    codes = _refused(_reg(city, district=city.west, password="short"))
    assert set(codes) == {"district", "password"}
