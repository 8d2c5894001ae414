"""The desk page's frame (issue #17): the desk's copies of Unfold's templates (templates/unfold/,
templates/admin/base.html) keep parts of every page rendered once per process for each set of the
values they read (apps/bj_enrollment/templatetags/desk_frame.py): the skeleton's head and colours,
the sidebar's items, the user's menu, the header, the actions bar. Every page still reads exactly as
Unfold's own templates make it, with its own CSRF token."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import unfold
from django.conf import settings
from django.template import Context, Template, engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.bj_enrollment.choices import ApplicationState

OURS = Path(settings.BASE_DIR) / "templates"
THEIRS = Path(unfold.__file__).parent / "templates"
FILTER_PANEL = ("change_list_filter", "/filters/")  # the filter panel's templates compare in their own tests
FRAME = sorted(
    str(path.relative_to(OURS)) for path in [*(OURS / "unfold").rglob("*.html"), *(OURS / "admin").glob("base*.html")]
    if (THEIRS / path.relative_to(OURS)).exists() and not any(part in str(path) for part in FILTER_PANEL))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@contextmanager
def unfolds_frame():
    """Unfold's own files in place of the desk's copies, through the cached loader pages use."""
    loader = engines["django"].engine.template_loaders[0]
    ours = {name: loader.get_template(name) for name in FRAME}
    try:
        for name, template in ours.items():
            loader.get_template_cache[name] = loader.get_template(name, skip=[template.origin])
        yield
    finally:
        loader.get_template_cache.update(ours)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return TOKEN.sub("", html), set(TOKEN.findall(html))


def test_the_frame_is_the_desks_copies_of_unfolds_templates():
    assert {"unfold/layouts/skeleton.html", "admin/base.html", "unfold/helpers/header.html",
            "unfold/helpers/change_list_actions.html"} <= set(FRAME)


@pytest.mark.parametrize("who", ["east_reviewer", "city_admin"])
def test_desk_pages_read_as_unfolds_own_in_both_languages(client, city, who):
    user = getattr(city, who)
    client.force_login(user)
    urls = [reverse("admin:index"),
            reverse("admin:bj_enrollment_application_changelist") + f"?district__id__exact={city.east.pk}"
            f"&state__exact={ApplicationState.REGISTERED}",
            reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])]
    for prefix in ("", "/en"):
        for url in urls:
            with unfolds_frame():
                theirs, _ = page(client, prefix + url)
            first, first_tokens = page(client, prefix + url)
            again, again_tokens = page(client, prefix + url)  # from the fragments kept by the first
            assert first == theirs and again == theirs, prefix + url
            # one token a page, the page's own, in the kept fragments (user menu) as in the rest
            assert len(first_tokens) == len(again_tokens) == 1 and first_tokens != again_tokens
        assert ("Log out" in again) == (prefix == "/en") and user.get_username() in again


def test_pages_with_action_buttons_and_the_desks_own_pages_read_as_unfolds_own(client, city):
    """Lists with Unfold's action buttons (actions_list), a change page with them (actions_detail), an
    app's index and a desk page of its own, as the city administrator, first render and kept."""
    from tests import factories

    student = factories.student(city.campaign, city.east_school)
    client.force_login(city.city_admin)
    urls = [reverse("admin:bj_enrollment_student_changelist"),
            reverse("admin:bj_enrollment_student_change", args=[student.pk]),
            reverse("admin:auth_user_change", args=[city.east_reviewer.pk]),
            reverse("admin:app_list", args=["bj_enrollment"]),
            reverse("desk-statistics")]
    for url in urls:
        with unfolds_frame():
            theirs, _ = page(client, url)
        assert page(client, url)[0] == theirs and page(client, url)[0] == theirs, url


def test_pagination_reads_as_unfolds_own_on_every_page(client, city, monkeypatch):
    """One row a page: the infinite paginator of the applications, Django's numbered one of the
    districts, each page (and a filtered list's) with its own links."""
    from django.contrib import admin

    from apps.bj_enrollment.models import Application, District

    client.force_login(city.city_admin)
    checked = 0
    for model in (Application, District):
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", 1)
        url = reverse(f"admin:bj_enrollment_{model._meta.model_name}_changelist")
        for query in ("", "?p=2", "?p=2&o=1", "?o=1"):
            with unfolds_frame():
                theirs, _ = page(client, url + query)
            assert page(client, url + query)[0] == theirs and page(client, url + query)[0] == theirs, url + query
            checked += "p=3" in theirs
    assert checked  # the pages link on


def test_each_user_sees_the_sidebar_and_menu_of_their_own(client, city):
    """The kept sidebar is keyed on the items the user's permissions let through, never on who asked first."""
    users = reverse("admin:auth_user_changelist")
    pages = {}
    from django.contrib.auth import get_user_model

    city.nobody = get_user_model().objects.create_user("frame_nobody", is_staff=True)  # no sidebar: Unfold's app list
    for who in ("city_admin", "east_reviewer", "nobody", "city_admin"):
        client.force_login(getattr(city, who))
        pages[who], _ = page(client, reverse("admin:index"))
        with unfolds_frame():
            assert page(client, reverse("admin:index"))[0] == pages[who]
    assert f'href="{users}"' in pages["city_admin"] and f'href="{users}"' not in pages["east_reviewer"]
    assert city.east_reviewer.get_username() in pages["east_reviewer"]
    assert city.east_reviewer.get_username() not in pages["city_admin"]
    assert 'id="nav-sidebar-apps"' not in pages["nobody"] and 'id="nav-sidebar-apps"' in pages["east_reviewer"]


def test_the_language_form_posts_with_the_pages_token(city):
    """The user menu is kept with a marker for its CSRF token; the token put in is the page's, and valid."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.city_admin)
    html = client.get(reverse("admin:password_change")).content.decode()
    (token,) = set(TOKEN.findall(html))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/desk/",
                                                     "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_kept_fragment_follows_its_values_and_the_language():
    template = Template("{% load desk_frame i18n %}{% desk_once items %}{% for i in items %}{{ i }}{% endfor %} "
                        "{% translate 'Log out' %}{% end_desk_once %}")
    with translation.override("en"):
        assert template.render(Context({"items": ["a", "<b>"]})) == "a&lt;b&gt; Log out"
        assert template.render(Context({"items": ["a"]})) == "a Log out"
    with translation.override("zh-hans"):
        assert template.render(Context({"items": ["a"]})) == "a 退出"


def test_a_value_the_key_cannot_hold_renders_every_time():
    class Counter:
        n = 0

        def __str__(self):
            Counter.n += 1
            return str(Counter.n)

    template = Template("{% load desk_frame %}{% desk_once thing %}{{ thing }}{% end_desk_once %}")
    thing = Counter()
    assert [template.render(Context({"thing": thing})) for _ in range(2)] == ["1", "2"]


def test_the_sidebars_key_tells_apart_what_it_shows(city, rf):
    """The key stands for the items (desk/navigation.py): another user's items or another active page
    is another key, the same page for the same permissions the same key."""
    from apps.bj_enrollment.desk import navigation

    def sidebar(user, path):
        request = rf.get(path)
        request.user = user
        return navigation.sidebar(request)

    applications, users = reverse("admin:bj_enrollment_application_changelist"), reverse("admin:auth_user_changelist")
    admin_on_applications = sidebar(city.city_admin, applications)
    assert sidebar(city.city_admin, applications).key == admin_on_applications.key
    assert sidebar(city.city_admin, users).key != admin_on_applications.key
    assert sidebar(city.east_reviewer, applications).key != admin_on_applications.key
    shown = [(item["link"], item["active"]) for group in admin_on_applications for item in group["items"]]
    assert (applications, True) in shown and (users, False) in shown


def test_the_action_bar_is_kept_per_choice_of_actions_and_never_for_a_bound_form():
    from unfold.forms import ActionForm

    from apps.bj_enrollment.templatetags.desk_frame import _Unkeyable, desk_action_form

    def form(*choices, data=None):
        made = ActionForm(data, auto_id=None)
        made.fields["action"].choices = [("", "---------"), *choices]
        return made

    assert desk_action_form(form(("approve", "Approve"))) == desk_action_form(form(("approve", "Approve")))
    assert desk_action_form(form(("approve", "Approve"))) != desk_action_form(form(("delete_selected", "Delete")))
    with pytest.raises(_Unkeyable):  # its data and errors show: rendered every time
        desk_action_form(form(("approve", "Approve"), data={"action": "approve"}))


def test_a_fragment_keeps_its_most_recently_used_variants():
    from apps.bj_enrollment.templatetags.desk_frame import MAX_VARIANTS, OnceNode

    template = Template("{% load desk_frame %}{% desk_once n %}{{ n }}{% end_desk_once %}")
    (node,) = template.nodelist.get_nodes_by_type(OnceNode)
    for n in range(MAX_VARIANTS):
        template.render(Context({"n": n}))
    template.render(Context({"n": 0}))  # used again: now the most recent
    assert template.render(Context({"n": MAX_VARIANTS})) == str(MAX_VARIANTS)
    kept = {key[-1] for key in node.rendered}
    assert len(kept) == MAX_VARIANTS and 0 in kept and 1 not in kept and MAX_VARIANTS in kept


def test_a_changed_setting_renders_the_frame_afresh(client, city, settings):
    """What a fragment keeps came from the settings when it rendered: the browser tests serve static
    files unhashed, and a frame kept from an earlier page pointed them at hashed names (404)."""
    client.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_changelist")
    before = page(client, url)[0]
    assert f'"{settings.STATIC_URL}unfold/' in before and "/desk-static-elsewhere/" not in before
    old = settings.STATIC_URL
    settings.STATIC_URL = "/desk-static-elsewhere/"
    after = page(client, url)[0]
    assert '"/desk-static-elsewhere/unfold/' in after and f'"{old}unfold/' not in after
