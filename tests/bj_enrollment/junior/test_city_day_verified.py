"""The city-wide lottery day over three districts, checked the way anyone can check it (#16, R41): every
district's students with their confirmed preferences and one bound pair of twins are drawn in one run;
the files are fetched over HTTP from the links of the public lottery page, with the verifier the page
offers, and the verifier says they verify — and says the opposite of an output someone altered."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.models import LotteryRun, Preference, PreferenceList, SchoolPlan, StudentGuardian
from tests import factories
from tests.bj_enrollment.junior.test_city_lottery_day import create, drawn
from tests.bj_enrollment.lottery.test_runs import ROOT

pytestmark = pytest.mark.django_db
FILES = ("input.json", "commitments.json", "seed.txt", "output.json")
TWINS_BORN = dt.date(2014, 6, 1)


def confirm_list(student, schools) -> None:
    confirmed = PreferenceList.objects.create(student=student, kind=PreferenceList.Kind.CONFIRMED,
                                              confirmed_at=timezone.now(), confirmation_method="portal")
    for rank, school in enumerate(schools, 1):
        Preference.objects.create(preference_list=confirmed, rank=rank, school=school)


@pytest.fixture
def three(junior, city):
    """East, west and a third district, two junior highs each (3 seats), four graduates each with a
    confirmed list (half ranking one school first, half the other); in the east also a bound pair of twins."""
    chaoyang = factories.district("110105", "朝阳区")
    primaries = {city.east: city.east_school, city.west: city.west_school,
                 chaoyang: factories.school(chaoyang, "朝阳实验小学")}
    firsts = {city.east: junior.east_junior, city.west: junior.west_junior,
              chaoyang: factories.junior_school(chaoyang, "朝阳初中")}
    junior.by_district = {}
    for n, (district, primary) in enumerate(primaries.items()):
        pair = [firsts[district], factories.junior_school(district, f"{district.name}第二中学")]
        SchoolPlan.objects.create(campaign=junior.campaign, school=pair[0], seats=2)
        SchoolPlan.objects.create(campaign=junior.campaign, school=pair[1], seats=1)
        students = [factories.student(junior.campaign, primary, f"{district.name}学生{k}",
                                      education_id=f"GC{n}{k:016d}") for k in range(4)]
        for k, student in enumerate(students):
            factories.put_in_state(student, StudentState.CONFIRMED)
            confirm_list(student, pair if k % 2 == 0 else pair[::-1])
        junior.by_district[district] = (pair, students)
    east_schools = junior.by_district[city.east][0]
    junior.twins = [factories.student(junior.campaign, city.east_school, name, birth_date=TWINS_BORN,
                                      education_id=eid)
                    for name, eid in (("王东一", "T00000000000000001"), ("王东二", "T00000000000000002"))]
    for twin in junior.twins:
        StudentGuardian.objects.filter(student=twin).update(id_number="110101198001010011")
        factories.put_in_state(twin, StudentState.CONFIRMED)
        confirm_list(twin, east_schools[::-1])  # the same list: twins rank together
    return junior


def public_links(client, run) -> tuple[dict[str, str], str]:
    """The draw's file links and the verifier link, read from the public lottery page."""
    page = client.get(reverse("disclosure:lottery")).content.decode()
    section = re.search(rf'<section class="card lottery-run" id="lottery-run-{run.pk}">(.*?)</section>', page, re.S)
    assert section, "the run is on the public page"
    links = {href.rsplit("/", 1)[-1]: href for href in re.findall(r'href="([^"]+)"', section.group(1))}
    verifier = re.search(r'<a id="lottery-verifier" href="([^"]+)"', page).group(1)
    return links, verifier


def verify(verifier, folder, output="output.json"):
    command = [sys.executable, str(verifier), "--input", str(folder / "input.json"),
               "--output", str(folder / output), "--seed-file", str(folder / "seed.txt"),
               "--commitments", str(folder / "commitments.json")]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_three_districts_drawn_in_one_run_verify_from_the_public_page(client, three, run_jobs, tmp_path):
    client.force_login(three.east_reviewer)  # the district binds the twins in the desk
    bound = client.post(reverse("admin:bj_enrollment_multiplebirthgroup_add"),
                        {"form_numbers": " ".join(t.education_id for t in three.twins)})
    assert bound.status_code == 302

    client.force_login(three.city_admin)
    assert create(client, three.campaign).status_code == 302
    run = drawn(client, LotteryRun.objects.get(district__isnull=True), run_jobs)
    assert run.algorithm == "bj-lottery-2" and run.participants == 14
    assert len(run.input_document["groups"]) == 1
    entries = {e.student_id: e for e in run.entries.select_related("student", "school")}
    for pair, students in three.by_district.values():  # each district its own market, seats full
        placed = [entries[s.pk] for s in students if entries[s.pk].school_id]
        assert placed and all(e.school in pair for e in placed)
    first, second = (entries[t.pk] for t in three.twins)
    assert (first.lottery_number, first.school_id) == (second.lottery_number, second.school_id)

    client.logout()  # anyone: the public page's links, nothing else
    links, verifier_href = public_links(client, run)
    assert set(links) == set(FILES)
    for name, href in links.items():
        response = client.get(href)
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.content)
    verifier = tmp_path / "verify_lottery.py"
    verifier.write_bytes(client.get(verifier_href).content)
    assert verifier.read_bytes() == (ROOT / "tools" / "verify_lottery.py").read_bytes()
    document = json.loads((tmp_path / "input.json").read_text())
    assert len({s["id"] for s in document["schools"]}) == 6 and len(document["groups"]) == 1

    checked = verify(verifier, tmp_path)
    assert checked.returncode == 0 and "VERIFIED: all" in checked.stdout, checked.stdout + checked.stderr

    # someone moves one child's seat to another child in the published output: it no longer verifies
    output = json.loads((tmp_path / "output.json").read_text())
    placed = [p for p in output["participants"] if p["school"]]
    unplaced = [p for p in output["participants"] if not p["school"]]
    placed[0]["school"], unplaced[0]["school"] = None, placed[0]["school"]
    (tmp_path / "tampered.json").write_text(json.dumps(output))
    tampered = verify(verifier, tmp_path, output="tampered.json")
    assert tampered.returncode == 1 and "NOT VERIFIED" in tampered.stdout, tampered.stdout + tampered.stderr
