"""Tables, conditions and drafts in `clean_custom_values`, the one validator every entry point calls."""

import pytest
from django.core.exceptions import ValidationError

from apps.lowcode.customfields.models import MAX_TABLE_ROWS
from apps.lowcode.customfields.values import clean_custom_values, custom_sections
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db

COLUMNS = [
    {"fieldname": "name", "label": "姓名", "field_type": "text", "required": True},
    {"fieldname": "relation", "label": "关系", "field_type": "select", "options": ["兄", "姐"]},
    {"fieldname": "same_school", "label": "同校", "field_type": "checkbox"},
]


def _messages(exc, key) -> list[str]:
    return [message for error in exc.value.error_dict[key] for message in error.messages]


def test_table_rows_are_cleaned_cell_by_cell_and_empty_rows_dropped(city):
    define("siblings", "table", columns=COLUMNS)
    rows = [{"name": " 王小红 ", "relation": "姐", "same_school": "on"}, {"name": "", "relation": ""}]
    cleaned = clean_custom_values(city.east_app, {"siblings": rows})
    assert cleaned == {"siblings": [{"name": "王小红", "relation": "姐", "same_school": True}]}


def test_table_refuses_unknown_columns_bad_cells_and_too_many_rows(city):
    define("siblings", "table", columns=COLUMNS)
    with pytest.raises(ValidationError) as exc:
        clean_custom_values(city.east_app, {"siblings": [{"name": "甲", "planet": "火星"}, {"relation": "弟"}]})
    assert _messages(exc, "siblings") == [
        "第1行：没有列 planet。", "第2行“姓名”：此项为必填项。", "第2行“关系”：请从给定选项中选择。",
    ]
    with pytest.raises(ValidationError) as exc:
        clean_custom_values(city.east_app, {"siblings": [{"name": f"{n}"} for n in range(MAX_TABLE_ROWS + 1)]})
    assert _messages(exc, "siblings") == [f"表格最多 {MAX_TABLE_ROWS} 行。"]
    with pytest.raises(ValidationError) as exc:
        clean_custom_values(city.east_app, {"siblings": "王小红"})
    assert _messages(exc, "siblings") == ["表格须按行填写。"]


def test_condition_reads_other_custom_values_being_saved(city):
    define("bus", "checkbox")
    define("bus_stop", "text", depends_on="bus", mandatory_depends_on="bus")
    assert clean_custom_values(city.east_app, {"bus": "", "bus_stop": "东四"}) == {"bus": False, "bus_stop": None}
    with pytest.raises(ValidationError) as exc:
        clean_custom_values(city.east_app, {"bus": "on", "bus_stop": ""})
    assert _messages(exc, "bus_stop") == ["此项为必填项。"]
    assert clean_custom_values(city.east_app, {"bus": "on", "bus_stop": ""}, draft=True) == {"bus": True,
                                                                                              "bus_stop": None}


def test_a_condition_that_fails_to_evaluate_counts_as_not_met(city):
    define("note", "text", depends_on="residence_address > 5")  # comparing text with a number
    assert clean_custom_values(city.east_app, {"note": "x"}) == {"note": None}


def test_print_sections_follow_order_sections_and_conditions(city):
    define("a", "text", show_in_print=True, order=1, section="交通")
    define("b", "text", show_in_print=True, order=2)
    define("c", "text", show_in_print=True, order=3, section="交通")
    define("d", "text", show_in_print=True, order=4, depends_on="False")
    app = city.east_app
    app.custom = {"a": "1", "b": "2", "c": "3", "d": "4"}
    sections = custom_sections(app, "print", default_title="其他")
    shown = [(s["title"], [f["value"] for f in s["fields"]]) for s in sections]
    assert shown == [("交通", ["1", "3"]), ("其他", ["2"])]
