"""R26 / issue 11 hole 6: no desk list or export shows columns from which a masked ID number or mobile
can be put back together. The attack is the sweep's: take what a row shows, assume the worst (the
region, the birth date and the sex are known, as the hukou district and birth date columns tell
them), and count the numbers that still fit."""

import datetime as dt
import html
import re
from io import BytesIO

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook
from stdnum.cn import ric

from apps.bj_enrollment.choices import Gender
from apps.bj_enrollment.models import Application, Child, Guardian, NewArrival, Student, StudentGuardian
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.lowcode.masking import mask_id_number, mask_phone
from tests import factories
from tests.exports import exported

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2020, 3, 15)
CHILD_ID = make_resident_id("110101", BIRTH, 321, Gender.MALE)  # order code 643
GUARDIAN_ID = make_resident_id("110105", dt.date(1985, 7, 9), 77, Gender.MALE)
MOBILE = "13987654321"
PERSONAL_FIELDS = {"id_number", "phone", "mobile"}
PUBLIC = {("bj_enrollment", "school")}  # a school's office phone is published, not personal
AT_LEAST = {"id": 20, "phone": 1000}  # numbers that must still fit what a row shows


def id_candidates(number: str) -> list[str]:
    """Every valid ID with the region, birth date and sex of `number`: what a list tells beside the mask."""
    parity = int(number[16]) % 2
    bodies = (number[:14] + f"{order:03d}" for order in range(parity, 1000, 2))
    return [body + ric.calc_check_digit(body + "0") for body in bodies]


def phone_candidates(phone: str) -> list[str]:
    return [phone[:3] + f"{middle:04d}" + phone[7:] for middle in range(10_000)]


def _fits(masked: str, number: str) -> bool:
    return len(masked) == len(number) and all(m in ("*", n) for m, n in zip(masked, number, strict=True))


def still_fitting(true: str, pool: list[str], cells: list[str]) -> int:
    """How many numbers fit every mask in the row and any digit run the other cells show."""
    masked = [c for c in cells if len(c) == len(true) and "*" in c]
    pool = [n for n in pool if all(_fits(m, n) for m in masked)]
    fewest = len(pool)
    for token in re.findall(r"[0-9X]{3,}", " ".join(c for c in cells if c not in masked)):
        hits = [n for n in pool if token in n]
        if true in hits:
            fewest = min(fewest, len(hits))
    return fewest


def test_the_sweeps_rebuild_works_against_region_and_last_four():
    """The old mask beside the birth date: exactly one number fits, so the check below can fail."""
    old_mask = CHILD_ID[:6] + "********" + CHILD_ID[-4:]
    assert still_fitting(CHILD_ID, id_candidates(CHILD_ID), [old_mask, "2020-03-15", "男"]) == 1
    assert still_fitting(CHILD_ID, id_candidates(CHILD_ID), [mask_id_number(CHILD_ID), CHILD_ID[-4:]]) < 20


def test_masks_hold_beside_region_birth_date_and_sex():
    assert mask_id_number(CHILD_ID) == "1****************" + CHILD_ID[-1]
    assert mask_phone(MOBILE) == "139****4321"
    for number in (CHILD_ID, GUARDIAN_ID, "11010519491231002X"):
        assert still_fitting(number, id_candidates(number), [mask_id_number(number)]) >= AT_LEAST["id"]
    assert still_fitting(MOBILE, phone_candidates(MOBILE), [mask_phone(MOBILE)]) == 10_000


@pytest.fixture
def known(city):
    child = Child.objects.create(
        name="钱小安", gender=Gender.MALE, birth_date=BIRTH, id_number=CHILD_ID, hukou_province="北京市",
        hukou_district=city.east,
    )
    app = factories.application(city.campaign, child, city.east, city.east_school, mobile=MOBILE)
    Guardian.objects.filter(application=app).update(id_number=GUARDIAN_ID)
    # the same family in the junior-high flow, as a new arrival (listed on the students' and the new arrivals' pages)
    student = factories.student(
        factories.junior_campaign(), city.east_school, "钱小安", id_number=CHILD_ID, birth_date=BIRTH,
        mobile=MOBILE, source="new_arrival",
    )
    StudentGuardian.objects.filter(student=student).update(id_number=GUARDIAN_ID)
    return app


SUBJECTS = {  # the row of the known application that each DocType's list shows
    Application: lambda app: app,
    Child: lambda app: app.child,
    Guardian: lambda app: app.guardians.get(),
    Student: lambda app: Student.objects.get(id_number=CHILD_ID),
    NewArrival: lambda app: NewArrival.objects.get(id_number=CHILD_ID),
}


def personal_admins():
    found = []
    for model, model_admin in admin.site._registry.items():
        fields = {f.name for f in model._meta.fields}
        if fields & PERSONAL_FIELDS and (model._meta.app_label, model._meta.model_name) not in PUBLIC:
            found.append((model, model_admin))
    return found


def _cells(fragment: str) -> list[str]:
    cells = re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", fragment, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def list_row(page: str, pk: int) -> list[str]:
    rows = [r for r in page.split("<tr")[1:] if re.search(rf'name="_selected_action"\s+value="{pk}"', r)]
    assert len(rows) == 1, "the known row is not on the list"
    return _cells(rows[0].split("</tr>")[0])


def export_row(client, model_admin, pk: int) -> list[str]:
    url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    response = client.post(url, {"action": "export_xlsx", "_selected_action": [str(pk)]})
    rows = list(load_workbook(BytesIO(exported(client, response)), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2
    return ["" if v is None else str(v) for v in rows[1]]


def test_every_desk_list_and_export_with_personal_data_is_walked():
    walked = {model for model, _admin in personal_admins()}
    assert walked == set(SUBJECTS), "a DocType with an ID number or mobile needs its row here"


@pytest.mark.parametrize("model", list(SUBJECTS), ids=lambda m: m._meta.model_name)
def test_no_list_or_export_row_gives_an_id_or_mobile_back(client, city, known, model):
    client.force_login(city.city_admin)
    model_admin = admin.site._registry[model]
    subject = SUBJECTS[model](known)
    page = client.get(reverse(f"admin:bj_enrollment_{model._meta.model_name}_changelist")).content.decode()
    rows = {"list": list_row(page, subject.pk), "export": export_row(client, model_admin, subject.pk)}
    for secret in (CHILD_ID, GUARDIAN_ID, MOBILE):
        assert secret not in page
    for where, cells in rows.items():
        joined = " ".join(cells)
        assert CHILD_ID not in joined and GUARDIAN_ID not in joined and MOBILE not in joined, where
        for number in (CHILD_ID, GUARDIAN_ID):
            assert still_fitting(number, id_candidates(number), cells) >= AT_LEAST["id"], (where, cells)
        assert still_fitting(MOBILE, phone_candidates(MOBILE), cells) >= AT_LEAST["phone"], (where, cells)
