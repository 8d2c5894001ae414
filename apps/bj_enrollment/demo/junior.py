"""The demo's junior-high campaign (小升初, R37-R41): graduates of every primary school of three districts,
some confirmed, some with corrections under way, transfers in each state and a few new arrivals.

Everything goes through the same doors as in production: graduates through the import
(imports/students.apply_graduates), states through the Student and Transfer workflows, transfers
through services/transfers and new arrivals through services/new_arrivals, each with a demo user of
the right scope. Built once: a junior campaign that already has students is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import (
    ConfirmationMethod,
    Gender,
    Level,
    Relationship,
    Stage,
    StudentSource,
    StudentState,
)
from apps.bj_enrollment.demo import data
from apps.bj_enrollment.models import Campaign, CampaignWindow, District, School, StaffScope, Student, Transfer
from apps.bj_enrollment.registries.base import GuardianRecord, StudentRecord
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.services import junior_family
from apps.lowcode.workflow import engine

Log = Callable[[str], None]

JUNIOR_DISTRICTS = ("东城区", "西城区", "海淀区")
GRADUATES_PER_SCHOOL = 3
JUNIOR_STAGES = (Stage.GRADUATE_CONFIRMATION, Stage.TRANSFER, Stage.NEW_ARRIVAL_REVIEW, Stage.JUNIOR_REGISTRATION,
                 Stage.LOTTERY, Stage.RESULTS)
# (district of the graduating school, transfer-in district, how far it gets)
TRANSFERS = (
    ("东城区", "西城区", "out_review"),
    ("东城区", "海淀区", "in_review"),
    ("东城区", "西城区", "approved"),
    ("西城区", "东城区", "refused_out"),
    ("海淀区", "东城区", "refused_in"),
)
NEW_ARRIVALS = (("东城区", "new_arrival_review"), ("西城区", "awaiting_confirmation"),
                ("海淀区", "new_arrival_refused"))
CORRECTION = "出生日期与户口簿不一致，应为户口簿上的日期"


def build_junior_campaign(users: list, rng: random.Random, log: Log, *, graduates_per_school: int = GRADUATES_PER_SCHOOL
                          ) -> list[tuple[str, str, str, str]]:
    """The campaign, its windows and demo reviewers for each district; the students once.
    Returns (username, roles, scope, password) of the extra demo accounts."""
    campaign = _campaign(log)
    accounts, reviewers = _reviewers(users)
    if campaign.students.exists():
        log(f"junior campaign: already has {campaign.students.count()} students, none added")
        return accounts
    with transaction.atomic():
        students = _import_graduates(campaign, rng, graduates_per_school)
        _move_graduates(students, reviewers)
        _transfers(students, reviewers)
        _new_arrivals(campaign, reviewers, rng)
    states = Counter(Student.objects.filter(campaign=campaign).values_list("state", flat=True))
    transfers = Counter(Transfer.objects.filter(student__campaign=campaign).values_list("state", flat=True))
    log(f"junior campaign: {sum(states.values())} students {dict(states)}, transfers {dict(transfers)}")
    return accounts


def _campaign(log: Log) -> Campaign:
    year = timezone.localdate().year
    campaign, new = Campaign.objects.get_or_create(
        year=year, level=Level.JUNIOR,
        defaults={"name": f"{year}年义务教育入学（初中）", "age_cutoff": dt.date(year - 12, 8, 31),
                  "cohort_start": dt.date(year - 13, 9, 1)},
    )
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for stage in JUNIOR_STAGES:
        CampaignWindow.objects.get_or_create(
            campaign=campaign, stage=stage, district=None,
            defaults={"opens_at": today - dt.timedelta(days=3), "closes_at": today + dt.timedelta(days=21)},
        )
    log(f"junior campaign: {campaign.name} ({'new' if new else 'existing'})")
    return campaign


def _reviewers(users: list) -> tuple[list[tuple[str, str, str, str]], dict[str, object]]:
    """The Dongcheng accounts of the primary demo, plus a district reviewer for the other two districts."""
    from apps.bj_enrollment.demo.builder import readable_password

    User = get_user_model()
    reviewers = {"东城区": User.objects.get(username="district_reviewer"),
                 "school": User.objects.get(username="school_reviewer")}
    accounts = []
    for username, district_name in (("xicheng_reviewer", "西城区"), ("haidian_reviewer", "海淀区")):
        user, _new = User.objects.get_or_create(username=username, defaults={"first_name": "演示账号"})
        password = readable_password()
        user.set_password(password)
        user.is_staff, user.is_active = True, True
        user.save()
        user.groups.add(*Group.objects.filter(name=roles.DISTRICT_REVIEWER))
        district = District.objects.get(name=district_name)
        StaffScope.objects.get_or_create(user=user, defaults={"district": district})
        reviewers[district_name] = user
        accounts.append((username, roles.DISTRICT_REVIEWER, district_name, password))
    return accounts, reviewers


def _import_graduates(campaign: Campaign, rng: random.Random, per_school: int) -> list[Student]:
    """Every primary school of the three districts sends its graduates through the import."""
    from apps.bj_enrollment.imports.students import apply_graduates

    surnames = [s for s, _w in data.SURNAMES]
    schools = School.objects.filter(district__name__in=JUNIOR_DISTRICTS, offers_primary=True).select_related(
        "district").order_by("code")
    records, used = [], set()
    for school in schools:
        for i in range(1, per_school + 1):
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            birth = dt.date(campaign.year - 12, rng.randint(1, 8), rng.randint(1, 28))
            surname = rng.choice(surnames)
            given = rng.choice(data.BOY_CHARS if gender == Gender.MALE else data.GIRL_CHARS)
            given += rng.choice(data.BOY_CHARS if gender == Gender.MALE else data.GIRL_CHARS)
            while True:
                id_number = make_resident_id(school.district.code, birth, rng.randrange(1, 500), gender)
                if id_number not in used:
                    used.add(id_number)
                    break
            mobile = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            home = f"北京市{school.district.name}{rng.choice(data.SCHOOL_ROADS)}{rng.randint(1, 199)}号"
            father = surname + rng.choice(data.MAN_CHARS) + rng.choice(data.MAN_CHARS)
            records.append((len(records) + 1, StudentRecord(
                education_id=f"G{id_number}", name=surname + given, graduating_school=school.code,
                id_number=id_number, birth_date=birth, gender=gender, hukou_province="北京市",
                hukou_district=school.district.code, hukou_address=home,
                graduating_class=f"六年级{i}班", mobile=mobile,
                guardians=(GuardianRecord(name=father, relationship=Relationship.FATHER, phone=mobile),),
            )))
    result = apply_graduates(records, campaign=campaign, source=StudentSource.IMPORT, user=None)
    if not result.ok:
        raise RuntimeError(f"demo graduates refused by the import: {result.errors[:3]}")
    return list(Student.objects.filter(campaign=campaign).select_related("district").order_by("education_id"))


def _confirm_on_paper(student: Student) -> None:
    """The family signed the printed sheet at the school (R37, method "paper"): recorded through the
    family side's own signature (services/junior_family.record_confirmation)."""
    junior_family.record_confirmation(student, ConfirmationMethod.PAPER)


def _move_graduates(students: list[Student], reviewers: dict) -> None:
    """Most graduates are open for confirmation; of those about half confirmed, some with a
    correction reported, some corrected by the school and waiting to be confirmed again."""
    for i, student in enumerate(students):
        if i % 10 == 0:
            continue  # still being prepared by the school
        engine.apply_action(None, student, A.OPEN_FOR_CONFIRMATION, system=True)
        kind = i % 10
        if kind in (1, 2, 3, 4, 5):
            _confirm_on_paper(student)
        elif kind in (6, 7):
            engine.apply_action(None, student, A.REPORT_CORRECTION, CORRECTION, system=True)
            if kind == 7:
                engine.apply_action(reviewers[student.district.name], student, A.CORRECT_DATA,
                                    "已按户口簿更正出生日期")


def _transfers(students: list[Student], reviewers: dict) -> None:
    """Transfers filed for a graduate (by the demo school reviewer for its own school's graduates, by
    the superuser for other schools) and decided by each district in turn."""
    from apps.bj_enrollment.services import transfers

    school_reviewer = reviewers["school"]
    own_school = StaffScope.objects.get(user=school_reviewer).school_id
    districts = {d.name: d for d in District.objects.filter(name__in=JUNIOR_DISTRICTS)}
    admin = get_user_model().objects.filter(is_superuser=True, username="admin").first()
    taken = set()
    for from_name, to_name, outcome in TRANSFERS:
        candidates = [s for s in students if s.district.name == from_name and s.pk not in taken
                      and s.state != StudentState.CORRECTION_REQUESTED]
        own = [s for s in candidates if s.graduating_school_id == own_school]
        student = (own or candidates)[0]
        taken.add(student.pk)
        filer = school_reviewer if own else admin
        transfer = transfers.file_transfer(filer, student, to_district=districts[to_name], basis="hukou",
                                           document_number=f"京户{student.id_number[-8:]}",
                                           address=f"北京市{to_name}{data.SCHOOL_ROADS[len(taken)]}{len(taken)}号")
        if outcome == "out_review":
            continue
        out = reviewers[from_name]
        if outcome == "refused_out":
            engine.apply_action(out, transfer, A.REFUSE_TRANSFER_OUT, "户籍或房产证明材料不全")
            continue
        engine.apply_action(out, transfer, A.APPROVE_TRANSFER_OUT)
        if outcome == "approved":
            engine.apply_action(reviewers[to_name], transfer, A.APPROVE_TRANSFER_IN)
        elif outcome == "refused_in":
            engine.apply_action(reviewers[to_name], transfer, A.REFUSE_TRANSFER_IN, "户籍或房产不在本区")


def _new_arrivals(campaign: Campaign, reviewers: dict, rng: random.Random) -> None:
    from apps.bj_enrollment.services.new_arrivals import register_new_arrival

    for n, (district_name, outcome) in enumerate(NEW_ARRIVALS, start=1):
        reviewer = reviewers[district_name]
        school = School.objects.filter(district__name=district_name, offers_primary=True).order_by("code").first()
        birth = dt.date(campaign.year - 12, n + 2, 10)
        id_number = make_resident_id("440305", birth, 100 + n, Gender.FEMALE)
        mobile = f"1380013{8000 + n:04d}"
        student = register_new_arrival(
            reviewer, campaign=campaign, graduating_school=school,
            arrival_document_number=f"{district_name}街道学籍证明{campaign.year}-{n:03d}",
            guardian={"name": f"周{data.WOMAN_CHARS[n]}", "relationship": Relationship.MOTHER, "phone": mobile},
            education_id=f"G{id_number}", name=f"周{data.GIRL_CHARS[n]}{data.GIRL_CHARS[n + 5]}",
            id_number=id_number, birth_date=birth, gender=Gender.FEMALE, hukou_province="北京市",
            hukou_district=school.district, hukou_address=f"北京市{district_name}新迁入地址{n}号",
            graduating_class="六年级1班", mobile=mobile,
        )
        if outcome == "awaiting_confirmation":
            engine.apply_action(reviewer, student, A.APPROVE_NEW_ARRIVAL)
        elif outcome == "new_arrival_refused":
            engine.apply_action(reviewer, student, A.REFUSE_NEW_ARRIVAL, "户籍证明材料不全")
