"""The CustomField desk page refuses definitions that could not work, with a message on the field."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.bj_enrollment.models import Application, District
from apps.lowcode.customfields.models import CustomField

pytestmark = pytest.mark.django_db


def _post(client, city, **overrides):
    data = {
        "document_type": ContentType.objects.get_for_model(Application).pk,
        "fieldname": "bus_route",
        "field_type": "text",
        "label_zh": "校车线路",
        "active": "on",
        "scope": "{}",
        "show_in_desk": "on",
        "order": "0",
    }
    data.update(overrides)
    client.force_login(city.city_admin)
    return client.post(reverse("admin:lowcode_customfields_customfield_add"), data)


def _errors(response):
    assert response.status_code == 200, "the definition was accepted"
    assert not CustomField.objects.exists()
    return response.context["adminform"].form.errors


def test_add_field_with_bad_regex_is_refused(client, city):
    errors = _errors(_post(client, city, pattern="([0-9]"))
    assert errors["pattern"][0].startswith(_("Not a valid regular expression: %(error)s").split("%")[0])


def test_add_select_without_options_is_refused(client, city):
    errors = _errors(_post(client, city, field_type="select", options="  \n "))
    assert errors["options"] == [_("A select field needs at least one option (one per line).")]


def test_add_field_clashing_with_model_field_is_refused(client, city):
    for name in ("remarks", "district_id"):
        errors = _errors(_post(client, city, fieldname=name))
        assert errors["fieldname"] == [_("“%(name)s” is already a field of this DocType.") % {"name": name}]


def test_add_field_with_unknown_scope_attribute_is_refused(client, city):
    errors = _errors(_post(client, city, scope='{"district_id": 1, "planet": "mars"}'))
    assert errors["scope"] == [_("Unknown attribute(s) of this DocType: %(names)s") % {"names": "planet"}]


def test_add_field_with_bad_fieldname_is_refused(client, city):
    errors = _errors(_post(client, city, fieldname="Bus Route"))
    assert errors["fieldname"] == [_("Use lower-case letters, digits and underscores, starting with a letter.")]


def test_add_list_filter_on_text_field_is_refused(client, city):
    errors = _errors(_post(client, city, show_in_list_filter="on"))
    assert errors["show_in_list_filter"] == [_("Only select and checkbox fields can be list filters.")]


def test_add_field_twice_on_one_doctype_is_refused(client, city):
    assert _post(client, city).status_code == 302
    response = _post(client, city)
    assert response.status_code == 200
    assert CustomField.objects.count() == 1
    assert "__all__" in response.context["adminform"].form.errors


def test_doctype_choices_offer_only_opted_in_models(client, city):
    client.force_login(city.city_admin)
    form = client.get(reverse("admin:lowcode_customfields_customfield_add")).context["adminform"].form
    offered = {ct.model_class() for ct in form.fields["document_type"].queryset}
    assert Application in offered and District not in offered
    errors = _errors(_post(client, city, document_type=ContentType.objects.get_for_model(District).pk))
    assert "document_type" in errors


def test_list_page_shows_definitions(client, city):
    assert _post(client, city).status_code == 302
    page = client.get(reverse("admin:lowcode_customfields_customfield_changelist")).content.decode()
    assert "bus_route" in page and "校车线路" in page


def test_database_check_reports_definition_broken_after_the_fact(city):
    from apps.lowcode.customfields.checks import check_custom_field_rows
    from tests.lowcode.customfields.helpers import define

    field = define("bus_route", "text", scope={"district_id": city.east.pk})
    assert check_custom_field_rows() == []
    CustomField.objects.filter(pk=field.pk).update(fieldname="remarks", scope={"planet": 1})
    [error] = check_custom_field_rows()
    assert error.id == "lowcode_customfields.E002"
    assert "bus_route" not in error.msg and "remarks" in error.msg and "planet" in error.msg


def test_model_check_accepts_application_json_column():
    from apps.lowcode.customfields.checks import check_custom_fields_attr
    from apps.lowcode.customfields.registry import opted_in_models

    assert Application in opted_in_models()
    assert check_custom_fields_attr() == []
