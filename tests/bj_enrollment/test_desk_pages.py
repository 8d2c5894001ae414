"""Every desk list and add page renders for the city administrator, in Chinese by default."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

SUPERUSER_ONLY = {"django_rq.Dashboard", "lowcode.OutboxJob"}  # the platform's plumbing, not casework
MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)


@pytest.fixture
def city_client(client, city):
    client.force_login(city.city_admin)
    return client


@pytest.mark.parametrize("model", [m for m, _ in MODEL_ADMINS], ids=lambda m: m._meta.label)
def test_list_and_add_pages_render(city_client, model, django_assert_max_num_queries):
    opts = model._meta
    with django_assert_max_num_queries(25):
        response = city_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    if opts.label in SUPERUSER_ONLY:
        assert response.status_code == 403, opts.label
        return
    assert response.status_code == 200, opts.label
    add = city_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403), opts.label
    # only records written by the system itself (logs, look-ups) have no add page
    read_only = {"staffscope", "zonelookup", "transitionrecord", "messagelog", "lotteryentry", "registryexport",
                 "application",  # applications come from registration (portal, API, register-on-behalf)
                 "categoryclaim",  # claims come from the families (R5), the desk decides them
                 "student",  # students come from the registry or the import (R37)
                 "privateapplication"}  # families apply to private schools (R43)
    if opts.app_label == "bj_enrollment" and opts.model_name not in read_only:
        assert add.status_code == 200, opts.label


def test_desk_is_chinese_by_default_and_english_on_request(city_client):
    home = city_client.get(reverse("admin:index")).content.decode()
    assert "入学服务平台" in home and "报名申请" in home
    english = city_client.get("/en/desk/").content.decode()
    assert "Enrollment platform" in english and "Applications" in english


def test_application_change_page_shows_the_registration_fixed(city_client, city):
    page = city_client.get(reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert city.east_app.form_number in html and city.east_app.verification_code in html
    form = page.context["adminform"].form
    for fixed in ("campaign", "child", "district", "mobile", "hukou_category", "state"):
        assert fixed not in form.fields, f"{fixed} must not be editable after registration (R14)"


def test_applications_are_never_added_by_a_bare_desk_form(city_client, city):
    """Registration's rules (R8-R14) apply to every new application: the desk registers a family
    only through register-on-behalf."""
    from apps.bj_enrollment.models import Application
    from tests import factories

    child = factories.child("新增儿")
    url = reverse("admin:bj_enrollment_application_add")
    assert city_client.get(url).status_code == 403
    before = Application.objects.count()
    response = city_client.post(url, {"campaign": city.campaign.pk, "child": child.pk, "district": city.east.pk,
                                      "mobile": "13612345678", "hukou_category": "local"})
    assert response.status_code == 403
    assert Application.objects.count() == before and not Application.objects.filter(child=child).exists()


def test_child_with_inconsistent_id_number_is_refused_with_a_message(city_client):
    from apps.bj_enrollment.models import Child

    response = city_client.post(
        reverse("admin:bj_enrollment_child_add"),
        {
            "name": "错号",
            "gender": "male",
            "birth_date": "2020-03-15",
            "id_type": "resident_id",
            "id_number": "110101202003150010",
            "nationality": "中国",
            "hukou_province": "北京市",
        },
    )
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not Child.objects.filter(name="错号").exists()


@pytest.mark.parametrize("model", ["application", "child", "guardian", "property"])
@pytest.mark.parametrize("role", ["city_admin", "east_reviewer"])
def test_large_table_lists_run_no_count(client, city, model, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(city, role))
    url = reverse(f"admin:bj_enrollment_{model}_changelist")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": "李"}, follow=True).status_code == 200
        assert client.get(url).status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts == []


def test_the_app_list_is_built_only_by_the_pages_that_show_it(city_client, monkeypatch):
    """Every page's context offers `available_apps`; the sidebar is the desk's own navigation, so a
    list page never builds it, while the index and an app's page still list their models."""
    from apps.bj_enrollment.desk.site import DeskSite

    built = []
    original = DeskSite._build_app_dict
    monkeypatch.setattr(DeskSite, "_build_app_dict", lambda self, *a, **k: built.append(1) or original(self, *a, **k))
    assert city_client.get(reverse("admin:bj_enrollment_application_changelist")).status_code == 200
    assert built == []
    index = city_client.get(reverse("admin:index"))
    assert index.status_code == 200 and built
    app_page = city_client.get(reverse("admin:app_list", args=["bj_enrollment"]))
    assert app_page.status_code == 200 and "报名申请" in app_page.content.decode()
    assert city_client.get(reverse("admin:app_list", args=["django_rq"])).status_code == 404  # none of it is hers


def sidebar_links(html: str) -> dict[str, bool]:
    """The sidebar's links, each with whether it is marked as the current page."""
    import re

    nav = html[html.index('id="nav-sidebar-inner"') if 'id="nav-sidebar-inner"' in html else 0:]
    return {href: "active" in classes for href, classes in re.findall(
        r'<a href="(/desk/[^"?]*)" class="(flex h-\[38px\][^"]*)"', nav)}


def test_the_sidebar_offers_what_each_user_may_open_and_marks_the_current_page(client, city):
    """The sidebar is built from links reversed once per process; per request only the user's rights
    and the current page decide what is shown and which item is active."""
    applications = reverse("admin:bj_enrollment_application_changelist")
    users, statistics = reverse("admin:auth_user_changelist"), reverse("desk-statistics")

    client.force_login(city.east_reviewer)
    reviewer = sidebar_links(client.get(applications).content.decode())
    assert reviewer[applications] is True and reviewer[statistics] is False
    assert users not in reviewer and not any(reviewer[link] for link in reviewer if link != applications)
    assert sidebar_links(client.get(statistics).content.decode())[statistics] is True

    client.force_login(city.city_admin)
    admin = sidebar_links(client.get(users).content.decode())
    assert admin[users] is True and admin[applications] is False and statistics in admin
