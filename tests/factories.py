"""Test data in one place: a small two-district city with staff for every role."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState, Gender, HukouCategory, Stage
from apps.bj_enrollment.models import (
    Application,
    Campaign,
    CampaignWindow,
    Child,
    District,
    Guardian,
    Property,
    School,
    StaffScope,
)
from apps.bj_enrollment.rules.form_numbers import save_with_form_number
from apps.bj_enrollment.rules.identity import make_resident_id

PASSWORD = "Desk-Passw0rd-2026"
_seq = itertools.count(1)


LEVEL_NAMES = {"primary": ("小学", 6), "junior": ("初中", 12)}  # the campaign's name and its cohort's age


def campaign(year: int | None = None, level: str = "primary") -> Campaign:
    """The campaign of the year and level, every stage open from three days ago for twenty days."""
    year = year or timezone.localdate().year
    name, age = LEVEL_NAMES[level]
    obj, _ = Campaign.objects.get_or_create(
        year=year,
        level=level,
        defaults={
            "name": f"{year}年义务教育入学（{name}）",
            "age_cutoff": dt.date(year - age, 8, 31),
            "cohort_start": dt.date(year - age - 1, 9, 1),
        },
    )
    now = timezone.now()
    for stage in Stage.of_level(level):
        CampaignWindow.objects.get_or_create(
            campaign=obj,
            stage=stage,
            district=None,
            defaults={"opens_at": now - dt.timedelta(days=3), "closes_at": now + dt.timedelta(days=20)},
        )
    return obj


def district(code: str, name: str) -> District:
    return District.objects.get_or_create(code=code, defaults={"name": name})[0]


def school(district_: District, name: str) -> School:
    return School.objects.create(district=district_, name=name, code=f"11{next(_seq):08d}")


def child(
    name: str = "王小明", birth: dt.date | None = None, region: str = "110101", gender: str = Gender.MALE
) -> Child:
    birth = birth or dt.date(timezone.localdate().year - 6, 3, 15)
    number = make_resident_id(region, birth, next(_seq) % 500, gender)
    return Child.objects.create(name=name, gender=gender, birth_date=birth, id_number=number, hukou_province="北京市")


def application(
    campaign_: Campaign,
    child_: Child,
    district_: District,
    school_: School | None = None,
    state: str = ApplicationState.READY_TO_PRINT,
    mobile: str = "13912345678",
) -> Application:
    app = Application(
        campaign=campaign_,
        child=child_,
        district=district_,
        school=school_,
        state=state,
        mobile=mobile,
        hukou_category=HukouCategory.LOCAL,
    )
    save_with_form_number(app)
    Guardian.objects.create(
        application=app,
        position=1,
        name="王大明",
        phone=mobile,
        id_number=make_resident_id("110101", dt.date(1988, 5, 4), 7, Gender.MALE),
    )
    Property.objects.create(
        application=app,
        certificate_number=f"京(2019)不动产权第{next(_seq):07d}号",
        owners="王大明",
        owner_relationship="父亲",
        family_owned=True,
        address="东四十条1号",
        district=district_,
        certificate_date=dt.date(2019, 6, 1),
    )
    return app


def junior_campaign(year: int | None = None) -> Campaign:
    """The junior-high campaign (小升初) of the year, every stage open."""
    return campaign(year, level="junior")


def junior_school(district_: District, name: str) -> School:
    return School.objects.create(
        district=district_, name=name, code=f"11{next(_seq):08d}", offers_primary=False, offers_junior=True
    )


def student(campaign_: Campaign, school_: School, name: str = "张小华", state: str = "", **fields):
    """A graduate of `school_` in its district (state: placed without a transition, like put_in_state)."""
    from apps.bj_enrollment.models import Student, StudentGuardian

    birth = fields.pop("birth_date", dt.date(campaign_.year - 12, 3, 15))
    gender = fields.pop("gender", Gender.MALE)
    obj = Student.objects.create(
        campaign=campaign_,
        education_id=fields.pop("education_id", f"G{next(_seq):017d}"),
        name=name,
        id_number=fields.pop("id_number", make_resident_id("110101", birth, next(_seq) % 500, gender)),
        birth_date=birth,
        gender=gender,
        hukou_province="北京市",
        graduating_school=school_,
        graduating_class=fields.pop("graduating_class", "六年级1班"),
        district=school_.district,
        mobile=fields.pop("mobile", "13912340000"),
        **fields,
    )
    StudentGuardian.objects.create(student=obj, name="张大华", relationship="father", phone=obj.mobile)
    return put_in_state(obj, state) if state else obj


def put_in_state(document, state: str):
    """Test set-up only: places a document in a state without a transition (the model's saves
    refuse that outside the workflow engine, see apps/lowcode/workflow/guard.py)."""
    type(document)._default_manager.filter(pk=document.pk).update(state=state)
    document.refresh_from_db()
    return document


def staff(
    username: str,
    role: str,
    *,
    district_: District | None = None,
    school_: School | None = None,
    superuser: bool = False,
) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if district_ or school_:
        StaffScope.objects.create(user=user, district=district_, school=school_)
    return user


@dataclass
class City:
    """Two districts, a school in each, an application at each school, and one user per role."""

    campaign: Campaign
    east: District
    west: District
    east_school: School
    west_school: School
    east_app: Application
    west_app: Application
    city_admin: User
    east_reviewer: User
    east_school_reviewer: User

    @classmethod
    def build(cls) -> City:
        roles.sync_roles()
        camp = campaign()
        east, west = district("110101", "东城区"), district("110102", "西城区")
        east_school, west_school = school(east, "史家胡同小学"), school(west, "育民小学")
        east_app = application(camp, child("李东东", region="110101"), east, east_school)
        west_app = application(
            camp, child("赵西西", region="110102", gender=Gender.FEMALE), west, west_school, mobile="13800001111"
        )
        return cls(
            campaign=camp,
            east=east,
            west=west,
            east_school=east_school,
            west_school=west_school,
            east_app=east_app,
            west_app=west_app,
            city_admin=staff("city", roles.CITY_ADMIN),
            east_reviewer=staff("east", roles.DISTRICT_REVIEWER, district_=east),
            east_school_reviewer=staff("east-school", roles.SCHOOL_REVIEWER, school_=east_school),
        )
