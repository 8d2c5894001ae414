"""Issue 11 hole 10: an ID or mobile number searched in the desk never appears in a URL: the search box
posts, the list runs under an opaque key kept in the session, and every link the list builds (pages,
sorting, filters, the way back from a change page) carries that key."""

import re
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, Child, Guardian, Property, ZoneLookup
from apps.lowcode.desk_search import KEY_VAR, KeyedSearchChangeList
from tests.exports import exported

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"


def urls_in(page: str) -> list[str]:
    return [unquote(u) for u in re.findall(r'(?:href|action|src)="([^"]*)"', page)]


def search(client, term, url=None, **hidden):
    response = client.post(url or reverse(LIST), {"_search": "1", "q": term, **hidden})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("term", [lambda a: a.child.id_number, lambda a: a.mobile], ids=["ID number", "mobile"])
def test_searched_id_or_mobile_stays_out_of_every_url(client, city, term):
    client.force_login(city.east_reviewer)
    secret = term(city.east_app)
    location = search(client, secret)
    assert secret not in unquote(location) and f"{KEY_VAR}=" in location
    page = client.get(location).content.decode()
    assert f"/{city.east_app.pk}/change/" in page  # found
    links = urls_in(page)
    assert not [u for u in links if secret in u]
    sort_links = [u for u in links if "o=" in u and f"{KEY_VAR}=" in u]
    assert sort_links, "the sorting links carry the key"
    change = next(u for u in links if f"/{city.east_app.pk}/change/" in u)
    assert f"{KEY_VAR}=" in change  # the way back to the searched list
    assert f"/{city.west_app.pk}/change/" not in client.get(sort_links[0]).content.decode()


def test_search_form_posts_with_a_csrf_token(client, city):
    client.force_login(city.east_reviewer)
    page = client.get(reverse(LIST)).content.decode()
    form = re.search(r'<form[^>]*id="changelist-search"[^>]*>(.*?)</form>', page, re.S)
    assert 'method="post"' in form.group(0) and 'name="csrfmiddlewaretoken"' in form.group(1)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(city.east_reviewer)
    refused = csrf_client.post(reverse(LIST), {"_search": "1", "q": city.east_app.mobile})
    assert refused.status_code == 403


def test_an_old_query_string_search_is_moved_out_of_the_url(client, city):
    client.force_login(city.east_reviewer)
    state = ApplicationState.READY_TO_PRINT
    response = client.get(reverse(LIST), {"q": city.east_app.child.id_number, "state__exact": state})
    assert response.status_code == 302
    location = unquote(response["Location"])
    assert city.east_app.child.id_number not in location
    assert f"state__exact={state}" in location and f"{KEY_VAR}=" in location


def test_filters_in_force_are_kept_with_the_key(client, city):
    client.force_login(city.east_reviewer)
    location = search(client, city.east_app.form_number, state__exact=ApplicationState.CONFIRMED)
    assert "state__exact=confirmed" in location
    assert f"/{city.east_app.pk}/change/" not in client.get(location).content.decode()  # not confirmed


def test_a_key_means_nothing_in_another_session(client, city):
    client.force_login(city.east_reviewer)
    location = search(client, city.east_app.child.id_number)
    other = Client()
    other.force_login(city.east_reviewer)
    response = other.get(location, follow=True)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert city.east_app.child.id_number not in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_select_all_matching_export_takes_the_searched_list(client, city):
    client.force_login(city.city_admin)
    location = search(client, city.west_app.mobile)
    response = client.post(location, {"action": "export_xlsx", "select_across": "1", "index": "0",
                                      "_selected_action": [str(city.west_app.pk)]})
    rows = list(load_workbook(BytesIO(exported(client, response)), read_only=True).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [city.west_app.form_number]
    assert Application.objects.count() == 2  # nothing else happened


def test_every_desk_list_of_personal_data_searches_by_key(rf, city):
    request = rf.get("/")
    request.user = city.city_admin
    for model in (Application, Child, Guardian, Property, ZoneLookup):
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields
        assert issubclass(model_admin.get_changelist(request), KeyedSearchChangeList), model


@pytest.mark.parametrize("preview", ["print format", "message template"])
def test_previews_take_a_typed_id_number_out_of_the_url(client, city, preview):
    """The print and message previews look a document up by what the user types, an ID number too."""
    from apps.lowcode.messaging.models import MessageTemplate
    from apps.lowcode.printing.models import PrintFormat

    if preview == "print format":
        url = reverse("admin:lowcode_printing_printformat_preview", args=[PrintFormat.objects.first().pk])
    else:
        template = MessageTemplate.objects.get(key="application_pre_admitted")
        url = reverse("admin:lowcode_messaging_messagetemplate_preview", args=[template.pk])
    client.force_login(city.city_admin)
    secret = city.east_app.child.id_number
    response = client.post(url, {"document": secret})
    assert response.status_code == 302 and secret not in unquote(response["Location"])
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["document"] == city.east_app
    assert not [u for u in urls_in(page.content.decode()) if secret in u]
    assert client.get(url, {"document": secret})["Location"] == response["Location"]  # same term, same key
