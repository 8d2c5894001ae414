"""A role grants only the roles below its own; superusers and the job dashboard are the superuser's
alone (#11, holes 2 and 5). Each attack through HTTP, with the refusal and the unchanged rows."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from apps.bj_enrollment import roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return factories.staff("root", "", superuser=True)


def change_payload(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "staff_scope-TOTAL_FORMS": "0",
        "staff_scope-INITIAL_FORMS": "0",
        "staff_scope-MIN_NUM_FORMS": "0",
        "staff_scope-MAX_NUM_FORMS": "1",
        "_save": "1",
    }
    data.update(changes)
    return data


def test_city_admin_cannot_make_anyone_a_superuser(client, city):
    target = city.east_reviewer
    client.force_login(city.city_admin)
    url = reverse("admin:auth_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200 and "is_superuser" not in page.context["adminform"].form.fields
    client.post(url, change_payload(target, is_superuser="on"))
    target.refresh_from_db()
    assert not target.is_superuser


def test_city_admin_cannot_grant_their_own_role(client, city):
    target = city.east_reviewer
    client.force_login(city.city_admin)
    city_role = Group.objects.get(name=roles.CITY_ADMIN)
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]), change_payload(target, groups=[city_role.pk])
    )
    assert response.status_code == 200  # the form comes back with an error
    assert list(target.groups.values_list("name", flat=True)) == [roles.DISTRICT_REVIEWER]


def test_city_admin_grants_a_role_below_their_own(client, city):
    target = city.east_reviewer
    client.force_login(city.city_admin)
    district_admin = Group.objects.get(name=roles.DISTRICT_ADMIN)
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]), change_payload(target, groups=[district_admin.pk])
    )
    assert response.status_code == 302
    assert set(target.groups.values_list("name", flat=True)) == {roles.DISTRICT_ADMIN}


def test_city_admin_cannot_touch_the_superuser_or_another_city_admin(client, city, root):
    peer = factories.staff("city2", roles.CITY_ADMIN)
    client.force_login(city.city_admin)
    for target in (root, peer):
        before = User.objects.values().get(pk=target.pk)
        page = client.get(reverse("admin:auth_user_change", args=[target.pk]))
        assert page.status_code == 200 and page.context["has_change_permission"] is False  # read-only
        password_url = reverse("admin:auth_user_password_change", args=[target.pk])
        response = client.post(password_url, {"password1": "Taken-Over-2026", "password2": "Taken-Over-2026"})
        assert response.status_code == 403
        assert client.post(
            reverse("admin:auth_user_change", args=[target.pk]), change_payload(target, first_name="x")
        ).status_code == 403
        assert User.objects.values().get(pk=target.pk) == before


def test_superuser_still_manages_everyone(client, city, root):
    client.force_login(root)
    target = city.city_admin
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]), change_payload(target, is_superuser="on")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_superuser


@pytest.mark.parametrize("role", ["east_school_reviewer", "east_reviewer", "city_admin"])
def test_job_dashboard_is_for_the_superuser_only(client, city, root, role):
    client.force_login(getattr(city, role))
    for url in ("/desk/django_rq/dashboard/", "/desk/django_rq/dashboard/queues/0/",
                "/desk/django_rq/dashboard/stats.json/"):
        assert client.get(url).status_code in (403, 404), url
    client.force_login(root)
    assert client.get("/desk/django_rq/dashboard/").status_code == 200
