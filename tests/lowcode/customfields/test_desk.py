"""Custom fields through the desk, end to end over HTTP: defined on the CustomField add page, then
shown, saved and enforced on the Application change page, exported and filtered."""

from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.bj_enrollment.models import Application
from apps.lowcode.customfields import desk, forms, values
from apps.lowcode.customfields.models import CustomField
from tests.exports import exported as follow_export
from tests.lowcode.customfields.helpers import change_url, define, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "admin:lowcode_customfields_customfield_add"


def _definition(**overrides):
    data = {
        "document_type": ContentType.objects.get_for_model(Application).pk,
        "fieldname": "guardian_wechat",
        "field_type": "text",
        "label_zh": "监护人微信号",
        "label_en": "Guardian WeChat ID",
        "required": "on",
        "active": "on",
        "help_text_zh": "",
        "help_text_en": "",
        "pattern": r"[A-Za-z][A-Za-z0-9_-]{5,19}",
        "options": "",
        "scope": "{}",
        "show_in_desk": "on",
        "show_in_export": "on",
        "order": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _errors(response):
    return response.context["adminform"].form.errors


def test_add_field_through_desk_then_change_page_shows_saves_and_exports(client, city):
    client.force_login(city.city_admin)
    response = client.post(reverse(ADD_URL), _definition())
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(change_url(city.east_app))
    assert "监护人微信号" in page.content.decode()
    assert 'name="cf_guardian_wechat"' in page.content.decode()

    data = form_data(page)
    data["cf_guardian_wechat"] = "li_dongdong88"
    saved = client.post(change_url(city.east_app), data)
    assert saved.status_code == 302, _errors(saved)
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {"guardian_wechat": "li_dongdong88"}
    assert 'value="li_dongdong88"' in client.get(change_url(city.east_app)).content.decode()

    exported = client.post(
        reverse("admin:bj_enrollment_application_changelist"),
        {"action": "export_xlsx", "_selected_action": [city.east_app.pk, city.west_app.pk]},
    )
    rows = list(load_workbook(BytesIO(follow_export(client, exported))).active.iter_rows(values_only=True))
    assert rows[0][-1] == "监护人微信号"
    by_form = {row[0]: row[-1] for row in rows[1:]}
    assert by_form[city.east_app.form_number] == "li_dongdong88"
    assert by_form[city.west_app.form_number] in ("", None)


@pytest.mark.parametrize(
    ("field_type", "extra", "posted", "msgid"),
    [
        ("text", {"required": True}, "", "This field is required."),
        ("text", {"pattern": r"[A-Z]{2}\d{4}"}, "ab12", "Enter a value in the expected format."),
        ("number", {}, "twelve", "Enter a number."),
        ("date", {}, "2026-02-30", "Enter a date as YYYY-MM-DD."),
        ("phone", {}, "12800001111", "Enter an 11-digit mainland mobile number."),
        ("id_number", {}, "110105201801010031", "Enter a valid 18-character resident ID number."),
        ("select", {"options": "走读\n住宿"}, "半托", "Choose one of the offered options."),
    ],
)
def test_save_change_page_with_bad_value_shows_error_and_saves_nothing(client, city, field_type, extra, posted, msgid):
    define("extra_info", field_type, **extra)
    client.force_login(city.city_admin)
    data = form_data(client.get(change_url(city.east_app)))
    data["cf_extra_info"] = posted
    data["remarks"] = "should not be saved"
    response = client.post(change_url(city.east_app), data)
    assert response.status_code == 200
    assert _errors(response)["cf_extra_info"] == [_(msgid)]
    assert _(msgid) in response.content.decode()
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {}
    assert city.east_app.remarks != "should not be saved"


def test_save_change_page_stores_typed_values(client, city):
    define("siblings", "number")
    define("arrival", "date")
    define("boarding", "checkbox")
    define("mode", "select", options="走读\n住宿")
    define("contact_mobile", "phone")
    client.force_login(city.city_admin)
    data = form_data(client.get(change_url(city.east_app)))
    data.update(cf_siblings="2", cf_arrival="2026-09-01", cf_boarding="on", cf_mode="住宿")
    data["cf_contact_mobile"] = "13912345678"
    response = client.post(change_url(city.east_app), data)
    assert response.status_code == 302, _errors(response)
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {
        "siblings": 2,
        "arrival": "2026-09-01",
        "boarding": True,
        "mode": "住宿",
        "contact_mobile": "13912345678",
    }


def test_error_messages_on_change_page_match_the_validation_function(client, city):
    """The admin form reports exactly what `clean_custom_values` raises: one rule set, not two."""
    define("room", "text", required=True, pattern=r"\d{3}")
    define("mobile2", "phone")
    posted = {"room": "12a", "mobile2": "123"}
    with pytest.raises(values.ValidationError) as raised:
        values.clean_custom_values(city.east_app, posted, where="desk")
    client.force_login(city.city_admin)
    data = form_data(client.get(change_url(city.east_app)))
    data.update({f"cf_{key}": value for key, value in posted.items()})
    form_errors = _errors(client.post(change_url(city.east_app), data))
    assert {key: form_errors[f"cf_{key}"] for key in posted} == {
        key: [str(e) for e in errs] for key, errs in raised.value.message_dict.items()
    }
    assert issubclass(desk.CustomFieldsForm, forms.CustomFieldsFormMixin)
    assert forms.clean_custom_values is values.clean_custom_values


def test_field_scoped_to_district_shows_on_that_districts_application_only(client, city):
    define("east_only", "text", label_zh="东城区专用", scope={"district_id": city.east.pk})
    client.force_login(city.city_admin)
    assert 'name="cf_east_only"' in client.get(change_url(city.east_app)).content.decode()
    west = client.get(change_url(city.west_app))
    assert 'name="cf_east_only"' not in west.content.decode()
    data = form_data(west)
    data["remarks"] = "西城区备注"
    assert client.post(change_url(city.west_app), data).status_code == 302
    city.west_app.refresh_from_db()
    assert city.west_app.remarks == "西城区备注" and city.west_app.custom == {}


def test_remove_field_keeps_stored_value(client, city):
    field = define("note_code", "text")
    client.force_login(city.city_admin)
    data = form_data(client.get(change_url(city.east_app)))
    data["cf_note_code"] = "K-17"
    assert client.post(change_url(city.east_app), data).status_code == 302

    field.active = False
    field.save()
    data = form_data(client.get(change_url(city.east_app)))
    assert "cf_note_code" not in data
    data["remarks"] = "after deactivation"
    assert client.post(change_url(city.east_app), data).status_code == 302
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {"note_code": "K-17"}

    delete_url = reverse("admin:lowcode_customfields_customfield_delete", args=[field.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not CustomField.objects.exists()
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {"note_code": "K-17"}


@pytest.mark.parametrize(("param", "expected"), [("住宿", "east"), ("走读", "west")])
def test_filter_list_by_select_field_returns_matching_rows(client, city, param, expected):
    define("mode", "select", options="走读\n住宿", show_in_list_filter=True)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"mode": "住宿"})
    Application.objects.filter(pk=city.west_app.pk).update(custom={"mode": "走读", "other": 1})
    client.force_login(city.city_admin)
    url = reverse("admin:bj_enrollment_application_changelist")
    listed = client.get(url, {"cf_mode": param})
    assert listed.status_code == 200
    assert {a.pk for a in listed.context["cl"].result_list} == {getattr(city, f"{expected}_app").pk}
    assert 'name="cf_mode"' in client.get(url).content.decode()
    with_counts = client.get(url, {"cf_mode": param, "_facets": "1"}).content.decode()
    assert f"{param} (1)" in with_counts


@pytest.mark.parametrize(("param", "expected"), [("1", {"east"}), ("0", {"west"})])
def test_filter_list_by_checkbox_counts_missing_key_as_unticked(client, city, param, expected):
    define("boarding", "checkbox", show_in_list_filter=True)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"boarding": True})
    client.force_login(city.city_admin)
    listed = client.get(reverse("admin:bj_enrollment_application_changelist"), {"cf_boarding": param})
    assert {a.pk for a in listed.context["cl"].result_list} == {getattr(city, f"{n}_app").pk for n in expected}


def test_view_only_user_sees_values_read_only(client, city):
    from django.contrib.auth.models import Permission

    define("note_code", "text", label_zh="备注编码")
    Application.objects.filter(pk=city.east_app.pk).update(custom={"note_code": "K-17"})
    viewer = city.east_reviewer
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(viewer)
    page = client.get(change_url(city.east_app)).content.decode()
    assert "K-17" in page and 'name="cf_note_code"' not in page
