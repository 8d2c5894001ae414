"""`clean_custom_values` and the readers built on it, called directly as the portal, API and import will."""

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from apps.bj_enrollment.models import Application
from apps.lowcode.customfields.export import custom_export_columns
from apps.lowcode.customfields.forms import CustomFieldsFormMixin, form_fields_for
from apps.lowcode.customfields.values import (
    clean_custom_values,
    clean_value,
    custom_fields_for,
    custom_values_for,
    set_custom_values,
    store_custom_values,
)
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db

VALID_ID = "11010520180101003" + ric.calc_check_digit("11010520180101003")


def _messages(exc):
    return {key: [str(m) for m in value] for key, value in exc.value.message_dict.items()}


def test_clean_values_normalises_each_type(city):
    define("siblings", "number")
    define("height", "number")
    define("arrival", "date")
    define("boarding", "checkbox")
    define("second_id", "id_number")
    define("nickname", "text")
    cleaned = clean_custom_values(
        city.east_app,
        {"siblings": 2, "height": "1.25", "arrival": "2026-09-01", "boarding": True, "second_id": VALID_ID.lower()},
        where="desk",
    )
    assert cleaned == {
        "siblings": 2,
        "height": 1.25,
        "arrival": "2026-09-01",
        "boarding": True,
        "second_id": VALID_ID,
        "nickname": None,
    }


def test_clean_values_reports_every_failing_field_at_once(city):
    define("siblings", "number", required=True)
    define("contact", "phone")
    with pytest.raises(ValidationError) as raised:
        clean_custom_values(city.east_app, {"contact": "1380000111", "planet": "mars"}, where="desk")
    assert _messages(raised) == {
        "siblings": [_("This field is required.")],
        "contact": [_("Enter an 11-digit mainland mobile number.")],
        "planet": [_("No such field here.")],
    }


def test_clean_value_accepts_valid_resident_id_outside_the_birthplace_table(city):
    field = define("other_id", "id_number")
    number = "99010519491231002"  # 99: no such province, but the check digit is right
    number += ric.calc_check_digit(number)
    assert clean_value(field, number) == number
    with pytest.raises(ValidationError):
        clean_value(field, number[:17] + ("0" if number[17] != "0" else "1"))


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_clean_value_accepts_any_mainland_mobile(number):
    from apps.lowcode.customfields.models import CustomField

    assert clean_value(CustomField(fieldname="m", field_type="phone"), number) == number


@pytest.mark.parametrize(
    "script", ["٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९"], ids=["arabic-indic", "persian", "devanagari"]
)
def test_clean_value_refuses_other_scripts_digits_and_folds_full_width(script):
    """int() reads these digits, so a checksum passes: only ASCII digits (full-width folded) are numbers."""
    from apps.lowcode.customfields.models import CustomField

    other = str.maketrans("0123456789", script)
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    id_field, phone = CustomField(fieldname="i", field_type="id_number"), CustomField(fieldname="m", field_type="phone")
    with pytest.raises(ValidationError):
        clean_value(id_field, VALID_ID[:10] + VALID_ID[10].translate(other) + VALID_ID[11:])
    with pytest.raises(ValidationError):
        clean_value(phone, "1391234567" + "8".translate(other))
    assert clean_value(id_field, VALID_ID.translate(full_width)) == VALID_ID
    assert clean_value(phone, "13912345678".translate(full_width)) == "13912345678"


def test_fields_for_portal_follow_flags_and_scope(city):
    define("everywhere", "text", show_in_portal=True)
    define("east_portal", "text", show_in_portal=True, scope={"district": [city.east.pk]})
    define("desk_only", "text")
    assert [f.fieldname for f in custom_fields_for(city.east_app, "portal")] == ["everywhere", "east_portal"]
    assert [f.fieldname for f in custom_fields_for(city.west_app, "portal")] == ["everywhere"]


def test_set_values_keeps_keys_written_since_the_document_was_loaded(city):
    define("arrival", "date", show_in_portal=True)
    stale = Application.objects.get(pk=city.east_app.pk)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"retired_field": "kept"})
    set_custom_values(stale, {"arrival": "2026-09-01"}, where="portal")
    assert stale.custom == {"retired_field": "kept", "arrival": "2026-09-01"}
    city.east_app.refresh_from_db()
    assert city.east_app.custom == {"retired_field": "kept", "arrival": "2026-09-01"}


def test_custom_values_for_print_uses_active_language_label(city):
    define("boarding", "checkbox", label_zh="住宿", label_en="Boarding", show_in_print=True)
    define("room", "text", label_zh="房间", show_in_print=True)
    define("hidden", "text", show_in_print=False)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"boarding": True, "room": "302", "hidden": "x"})
    city.east_app.refresh_from_db()
    with translation.override("en"):
        assert custom_values_for(city.east_app) == [("Boarding", _("Yes")), ("房间", "302")]
    with translation.override("zh-hans"):
        assert custom_values_for(city.east_app) == [("住宿", _("Yes")), ("房间", "302")]


def test_export_columns_read_each_document(city):
    define("room", "text", label_zh="房间")
    define("not_exported", "text", show_in_export=False)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"room": "302"})
    city.east_app.refresh_from_db()
    [(header, getter)] = custom_export_columns(Application)
    assert header == "房间"
    assert getter(city.east_app) == "302" and getter(city.west_app) == ""


class DetailsForm(CustomFieldsFormMixin, django_forms.Form):
    """Stand-in for the portal's details form, which will add the fields the same way."""

    def __init__(self, document, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = document
        self.fields.update(form_fields_for(document, "portal", prefix=self.custom_prefix))
        self.init_custom_values()


def test_portal_form_fields_render_and_validate_through_the_one_function(city):
    define("mode", "select", label_zh="就读方式", options="走读\n住宿", required=True, show_in_portal=True)
    define("contact", "phone", show_in_portal=True)
    Application.objects.filter(pk=city.east_app.pk).update(custom={"contact": "13900001111"})
    city.east_app.refresh_from_db()
    fields = form_fields_for(city.east_app, "portal")
    assert list(fields) == ["mode", "contact"]
    assert fields["mode"].required and list(fields["mode"].widget.choices)[1:] == [("走读", "走读"), ("住宿", "住宿")]

    html = DetailsForm(city.east_app).as_div()
    assert "就读方式" in html and 'value="13900001111"' in html
    bad = DetailsForm(city.east_app, data={"cf_mode": "", "cf_contact": "139"})
    assert not bad.is_valid()
    assert bad.errors == {
        "cf_mode": [_("This field is required.")],
        "cf_contact": [_("Enter an 11-digit mainland mobile number.")],
    }
    good = DetailsForm(city.east_app, data={"cf_mode": "住宿", "cf_contact": "13900002222"})
    assert good.is_valid() and good.custom_values == {"mode": "住宿", "contact": "13900002222"}
    store_custom_values(city.east_app, good.custom_values)
    assert Application.objects.get(pk=city.east_app.pk).custom == {"mode": "住宿", "contact": "13900002222"}
