"""The desk's preference pages: the demand per junior high equals a fresh count of the confirmed lists,
and each scope sees only its schools; the district's setting is visible to its district only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import StudentState
from apps.bj_enrollment.models import Preference, PreferenceList, PreferenceSetting
from tests import factories

pytestmark = pytest.mark.django_db


def confirmed(student, schools):
    """A confirmed list as the service leaves it (the service's own rules are tested with the family)."""
    lst = PreferenceList.objects.create(student=student, kind="confirmed")
    for rank, school in enumerate(schools, 1):
        Preference.objects.create(preference_list=lst, rank=rank, school=school)


def draft(student, schools):
    lst = PreferenceList.objects.create(student=student, kind="draft")
    for rank, school in enumerate(schools, 1):
        Preference.objects.create(preference_list=lst, rank=rank, school=school)


@pytest.fixture
def lists(prefs, junior):
    """Three east students and one west student with confirmed lists; a draft that must not count."""
    a, b, c = prefs.schools[:3]
    students = [prefs.student] + [
        factories.put_in_state(factories.student(junior.campaign, junior.east_primary, f"学生{i}"),
                               StudentState.CONFIRMED)
        for i in range(3)
    ]
    confirmed(students[0], [a, b])
    confirmed(students[1], [b, a, c])
    confirmed(students[2], [a])
    draft(students[3], [c, b])  # not confirmed: no demand
    confirmed(factories.student(junior.campaign, junior.west_primary, "西城学生"), [junior.west_junior])
    return students


def fresh_counts():
    counts = {}
    for lst in PreferenceList.objects.filter(kind="confirmed"):
        for p in lst.preferences.all():
            first, total = counts.get(p.school.code, (0, 0))
            counts[p.school.code] = (first + (p.rank == 1), total + 1)
    return counts


def shown(response) -> dict[str, tuple[int, int]]:
    assert response.status_code == 200
    return {item["row"].school.code: (item["row"].first, item["row"].all) for item in response.context["rows"]}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("east_reviewer", "east"),
        ("west_reviewer", "west"),
        ("east_junior_reviewer", "own school"),
        ("city_admin", "all"),
    ],
)
def test_demand_equals_fresh_counts_within_scope(client, junior, prefs, lists, who, sees):
    client.force_login(getattr(junior, who))
    response = client.get(reverse("desk-preference-demand"), {"campaign": junior.campaign.pk})
    table = shown(response)
    east = {s.code for s in prefs.schools} | {prefs.private.code}
    expected_schools = {
        "east": east,
        "west": {junior.west_junior.code},
        "own school": {junior.east_junior.code},
        "all": east | {junior.west_junior.code},
    }[sees]
    assert set(table) == expected_schools
    fresh = fresh_counts()
    assert table == {code: fresh.get(code, (0, 0)) for code in expected_schools}
    if sees == "east":
        assert table[prefs.schools[0].code] == (2, 3)
        assert table[prefs.schools[2].code] == (0, 1)  # the draft's first choice is not counted
        assert junior.west_junior.name not in response.content.decode()


def test_demand_is_live(client, junior, prefs, lists):
    client.force_login(junior.east_reviewer)
    url = reverse("desk-preference-demand")
    before = shown(client.get(url))[prefs.schools[3].code]
    confirmed(factories.student(junior.campaign, junior.east_primary, "新同学"), [prefs.schools[3]])
    assert shown(client.get(url))[prefs.schools[3].code] == (before[0] + 1, before[1] + 1)


def test_the_graduating_school_and_staff_without_the_right_are_refused(client, junior, prefs):
    client.force_login(junior.east_school_reviewer)  # a primary school: lists no junior high
    response = client.get(reverse("desk-preference-demand"))
    assert response.status_code == 200 and shown(response) == {}
    client.logout()
    assert client.get(reverse("desk-preference-demand")).status_code == 302  # to the log-in


def test_the_setting_is_its_district_s(client, junior, prefs):
    url = reverse("admin:bj_enrollment_preferencesetting_change", args=[prefs.setting.pk])
    client.force_login(junior.west_reviewer)
    assert client.get(url).status_code in (302, 403, 404)
    listed = client.get(reverse("admin:bj_enrollment_preferencesetting_changelist"))
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == []
    client.force_login(junior.east_reviewer)
    assert client.get(url).status_code == 200
    assert PreferenceSetting.objects.get(pk=prefs.setting.pk).max_choices == 3


def test_a_district_administrator_sets_its_own_district_only(client, junior):
    from apps.bj_enrollment import roles

    admin_user = factories.staff("east-admin", roles.DISTRICT_ADMIN, district_=junior.east_junior.district)
    client.force_login(admin_user)
    url = reverse("admin:bj_enrollment_preferencesetting_add")
    data = {"campaign": junior.campaign.pk, "max_choices": 5, "ownership": "public"}
    refused = client.post(url, {**data, "district": junior.west_junior.district.pk})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert not PreferenceSetting.objects.exists()
    too_many = client.post(url, {**data, "max_choices": 31, "district": junior.east_junior.district.pk})
    assert too_many.status_code == 200 and not PreferenceSetting.objects.exists()
    assert client.post(url, {**data, "district": junior.east_junior.district.pk}).status_code == 302
    assert PreferenceSetting.objects.get().max_choices == 5
    client.force_login(junior.east_reviewer)  # a reviewer reads it, does not set it
    assert client.get(url).status_code == 403
