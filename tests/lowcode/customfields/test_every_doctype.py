"""Custom fields on every DocType a city extends (issue #14 item 3): the child, guardian, property,
school and school plan desk pages carry them, store them, filter on them and export them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.bj_enrollment.models import Child, Guardian, Property, School, SchoolPlan
from apps.lowcode.customfields.export import custom_export_columns
from apps.lowcode.customfields.models import CustomField
from apps.lowcode.customfields.registry import opted_in_models
from tests.lowcode.customfields.helpers import form_data

pytestmark = pytest.mark.django_db


def _document(city, model):
    if model is SchoolPlan:
        return SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=40)
    return {
        Child: city.east_app.child,
        Guardian: city.east_app.guardians.first(),
        Property: city.east_app.properties.first(),
        School: city.east_school,
    }[model]


def test_the_doctypes_a_city_extends_accept_custom_fields():
    assert {Child, Guardian, Property, School, SchoolPlan} <= set(opted_in_models())


@pytest.mark.parametrize("model", [Child, Guardian, Property, School, SchoolPlan])
def test_desk_page_shows_stores_filters_and_exports_a_custom_field(client, city, model):
    client.force_login(city.city_admin)
    CustomField.objects.create(
        document_type=ContentType.objects.get_for_model(model), fieldname="checked_by", field_type="select",
        label_zh="核查方式", options="现场\n电话", show_in_list_filter=True, section="核查",
    )
    document = _document(city, model)
    meta = model._meta
    change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[document.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and "核查方式" in page.content.decode()
    data = {**form_data(page), "cf_checked_by": "电话"}
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.custom == {"checked_by": "电话"}

    listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), {"cf_checked_by": "电话"})
    assert listing.status_code == 200 and list(listing.context["cl"].queryset) == [document]
    listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), {"cf_checked_by": "现场"})
    assert list(listing.context["cl"].queryset) == []

    [(header, value)] = custom_export_columns(model)
    assert (str(header), value(document)) == ("核查方式", "电话")


def test_a_bad_value_on_a_desk_page_is_refused_and_nothing_saved(client, city):
    client.force_login(city.city_admin)
    CustomField.objects.create(
        document_type=ContentType.objects.get_for_model(Child), fieldname="siblings", field_type="table",
        label_zh="兄弟姐妹", columns=[{"fieldname": "age", "label": "年龄", "field_type": "number"}],
    )
    child = city.east_app.child
    change_url = reverse("admin:bj_enrollment_child_change", args=[child.pk])
    page = client.get(change_url)
    response = client.post(change_url, {**form_data(page), "cf_siblings-rows": "1", "cf_siblings-0-age": "x",
                                         "name": "改了名"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cf_siblings"] == ["第1行“年龄”：请输入数字。"]
    child.refresh_from_db()
    assert child.custom == {} and child.name != "改了名"
