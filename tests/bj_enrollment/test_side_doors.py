"""No desk URL other than the change form and the workflow writes a case (#11, hole 1).

The attacks are the outside sweep's: a reviewer posting a history version (simple-history's revert
form) to change a child's identity, a confirmed result's school, or an application's state. Each
is refused and the rows are unchanged. A walk over every URL the desk registers then posts to each
as every reviewer role and proves that nothing outside the change form and the workflow moved.
"""

import hashlib
import re

import pytest
from django.contrib import admin
from django.core import serializers
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, reverse

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application, Child, Guardian, Property
from apps.lowcode.workflow.guard import StateChangeOutsideWorkflow
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories

pytestmark = pytest.mark.django_db

CASE_MODELS = (Application, Child, Guardian, Property)


def fingerprint() -> str:
    """Every row of the case tables and the accounts, as one digest."""
    from django.contrib.auth.models import Group, User

    rows = [serializers.serialize("json", m.objects.order_by("pk")) for m in (*CASE_MODELS, Group, TransitionRecord)]
    accounts = User.objects.order_by("pk")  # a log-in's own time is not a change to the account
    fields = [f.name for f in User._meta.fields if f.name != "last_login"]
    rows.append(serializers.serialize("json", accounts, fields=fields))
    rows.append(str(list(User.groups.through.objects.order_by("pk").values_list())))
    return hashlib.sha256("".join(rows).encode()).hexdigest()


def history_url(obj) -> str:
    version = obj.history.order_by("-history_id").first()
    if version is None:  # rows created before history existed in this test: record one
        obj.save()
        version = obj.history.order_by("-history_id").first()
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])


def form_data(obj, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items() if not isinstance(v, list)}
    data.update(changes)
    data["_save"] = "1"
    return data


def test_school_reviewer_cannot_change_a_child_through_a_history_version(client, city):
    child = city.east_app.child
    url = history_url(child)
    client.force_login(city.east_school_reviewer)
    assert client.get(url).status_code == 200  # history stays readable in scope
    before = fingerprint()
    response = client.post(url, form_data(child, name="篡改", id_number="110101201901010011"))
    assert response.status_code == 405
    child.refresh_from_db()
    assert child.name == "李东东" and fingerprint() == before


def test_district_reviewer_cannot_move_a_confirmed_result_through_history(client, city):
    app = factories.put_in_state(city.east_app, S.CONFIRMED)
    other = factories.school(city.east, "和平里第一小学")
    url = history_url(app)
    client.force_login(city.east_reviewer)
    before = fingerprint()
    response = client.post(url, form_data(app, school=other.pk))
    assert response.status_code == 405
    app.refresh_from_db()
    assert app.school == city.east_school and fingerprint() == before
    assert not TransitionRecord.objects.filter(object_id=str(app.pk)).exists()


def test_posting_an_old_version_never_moves_the_state(client, city):
    app = city.east_app
    old_url = history_url(app)  # the version in ready_to_print
    factories.put_in_state(app, S.PRE_ADMITTED)
    client.force_login(city.east_school_reviewer)
    before = fingerprint()
    assert client.post(old_url, form_data(app, state=S.READY_TO_PRINT)).status_code == 405
    app.refresh_from_db()
    assert app.state == S.PRE_ADMITTED and fingerprint() == before


def test_history_version_page_offers_no_revert(client, city):
    client.force_login(city.city_admin)
    page = client.get(history_url(city.east_app)).content.decode()
    assert 'name="_save"' not in page and "_change_history" not in page


def test_any_save_outside_the_engine_that_moves_the_state_is_refused(city):
    """The guard behind every caller: a reverted instance, a stray service, a future import."""
    app = city.east_app
    version = app.history.first() or app
    reverted = version.instance if hasattr(version, "instance") else version
    reverted.state = S.CONFIRMED
    with pytest.raises(StateChangeOutsideWorkflow):
        reverted.save()
    app.refresh_from_db()
    assert app.state == S.READY_TO_PRINT
    app.remarks = "说明"  # other fields save as before
    app.save()


# --- the walk over every URL the desk registers -------------------------------------------------

WRITE_DOORS = re.compile(r"_(change|add|changelist)$|^workflow|_workflow_|_transition|_scan$")
SESSION_DOORS = {"login", "logout"}  # they change who is logged in, not a case; tested on their own


def desk_patterns():
    """(name, route) of every named URL the admin site registers, libraries' included."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                found.append((p.name, prefix + str(p.pattern)))

    walk(admin.site.get_urls())
    return found


def model_of(name: str):
    """The registered model a desk URL name belongs to (`<app>_<model>_<view>`), if any."""
    for model in admin.site._registry:
        if name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def target_for(model, city):
    """A row the role can see: the east application's own rows for the case models."""
    app = city.east_app
    own = {Application: app, Child: app.child, Guardian: app.guardians.first(), Property: app.properties.first()}
    if model is None or not model._meta.managed:
        return None
    return own.get(model) or model._default_manager.order_by("pk").first()


def fill(name: str, route: str, city) -> tuple[str, object] | None:
    """A concrete URL for a route, with the ids of a real row (and its latest history version)."""
    obj = target_for(model_of(name), city)
    version = None
    if obj is not None and hasattr(obj, "history"):
        if not obj.history.exists():
            obj.save()
        version = obj.history.order_by("-history_id").first().history_id
    values = {"object_id": obj.pk if obj else 1, "version_id": version, "app_label": "bj_enrollment",
              "queue_index": 0}
    missing, positional = [], iter(("object_id", "version_id"))  # unnamed groups, in order

    def value_for(match):
        key = match.group(1) or match.group(2) or next(positional, "x")
        value = values.get(key, "x" if "id" in key and key != "object_id" else 1)
        if value is None:
            missing.append(key)
        return str(value)

    url = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>|\((?!\?)[^)]*\)", value_for, route)
    if missing:
        return None
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/desk/" + url, obj


def tampered(obj) -> dict:
    """The row's own form data, still valid, with its names, addresses and remarks changed."""
    data = form_data(obj) if obj is not None else {}
    for field in type(obj)._meta.fields if obj is not None else ():
        free_text = any(word in field.name for word in ("name", "address", "remarks", "owners"))
        if free_text and field.get_internal_type() in ("CharField", "TextField") and field.name in data:
            data[field.name] = f"{data[field.name]}改"[: field.max_length or 100]
    return data


@pytest.mark.parametrize("role", ["east_school_reviewer", "east_reviewer"])
def test_no_desk_url_but_the_change_form_and_workflow_writes_a_case(client, city, role):
    client.force_login(getattr(city, role))
    extras = {
        "state": S.CONFIRMED, "school": "", "remarks": "x", "is_superuser": "on", "post": "yes",
        "password1": "Xx-123456789", "password2": "Xx-123456789",
        **dict.fromkeys(("first_name", "last_name", "username"), "篡改"),
    }
    tried = 0
    for name, route in desk_patterns():
        if WRITE_DOORS.search(name) or name in SESSION_DOORS:
            continue
        filled = fill(name, route, city)
        if filled is None:
            continue
        url, obj = filled
        before = fingerprint()
        client.post(url, {**tampered(obj), **extras})
        client.force_login(getattr(city, role))  # whatever the page did to the session
        tried += 1
        assert fingerprint() == before, f"POST {url} ({name}) as {role} changed a row"
    assert tried > 40  # history, delete, password, autocomplete, dashboards, job pages…


def test_the_change_form_does_not_move_a_school_or_a_material_number(client, city):
    """School (R23), material number (R4) and rejection reason are the workflow's to write."""
    app = city.east_app
    other = factories.school(city.east, "和平里第一小学")
    client.force_login(city.east_school_reviewer)
    page = client.get(reverse("admin:bj_enrollment_application_change", args=[app.pk]))
    form = page.context["adminform"].form
    assert not {"school", "material_number", "rejection_reason"} & set(form.fields)
    client.post(reverse("admin:bj_enrollment_application_change", args=[app.pk]),
                form_data(app, school=other.pk, material_number="CL0120269999"))
    app.refresh_from_db()
    assert app.school == city.east_school and app.material_number == ""
