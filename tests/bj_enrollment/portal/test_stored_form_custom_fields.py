"""#17: custom fields on the printed form (flagged "print format") are part of its stored version:
a new value, or a new label of the field's definition, renders the form anew."""

import pytest

from apps.bj_enrollment.models import Application
from tests.bj_enrollment.portal.test_stored_form import _own_storage, _print, _text, family, renders  # noqa: F401
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db


def test_a_custom_field_value_or_definition_change_renders_anew(client, family, renders):  # noqa: F811
    field = define("school_bus", label_zh="是否需要校车", show_in_print=True)
    Application.objects.filter(pk=family.pk).update(custom={"school_bus": "需要接送"})
    assert "需要接送" in _text(_print(client)) and renders.call_count == 1
    _print(client)
    assert renders.call_count == 1
    Application.objects.filter(pk=family.pk).update(custom={"school_bus": "自行上学"})
    assert "自行上学" in _text(_print(client)) and renders.call_count == 2
    field.label_zh = "校车意向"
    field.save()
    assert "校车意向" in _text(_print(client)) and renders.call_count == 3
