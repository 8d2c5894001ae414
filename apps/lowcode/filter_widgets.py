"""The list filters' select, written in Python: the same bytes as Unfold's select widget template.

A list page renders four or five dropdown filters; through templates each option is an include of
select_option.html and attrs.html (~10 µs per option, most of a filter's cost). The markup below is
Unfold's unfold/widgets/select.html with Django's select_option.html and attrs.html, character for
character; tests/bj_enrollment/reviewer/test_list_filters.py renders both and compares them."""

from __future__ import annotations

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from unfold.contrib.filters.admin import DropdownFilter as UnfoldDropdownFilter
from unfold.contrib.filters.forms import DropdownForm as UnfoldDropdownForm
from unfold.widgets import UnfoldAdminSelectWidget

_ICON = (
    '<span class="material-symbols-outlined absolute group-[.primary]:text-white pointer-events-none mr-[12px] '
    "right-0 text-base-400 top-0 top-1/2 hover:text-base-700 dark:text-base-500 dark:hover:text-base-200 "
    '-translate-y-1/2">expand_more</span>'
)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: safe input stays unescaped (the filter is is_safe)."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FilterSelect(UnfoldAdminSelectWidget):
    """Unfold's select widget, rendered without the template engine (single choice only)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<div class="grow relative max-w-2xl">\n    <select name="{conditional_escape(widget["name"])}"',
                 _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n        <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(f'\n            <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                             f"{conditional_escape(localize(option['label']))}</option>\n")
            if group_name:
                parts.append("\n                </optgroup>")
        parts.append(f"\n    </select>\n\n    {_ICON}\n</div>")
        return mark_safe("".join(parts))  # noqa: S308 (every name, value and label escaped above)


class DropdownForm(UnfoldDropdownForm):
    widget = FilterSelect(attrs={"data-theme": "admin-autocomplete",
                                 "class": "unfold-admin-autocomplete admin-autocomplete"})


class DropdownFilter(UnfoldDropdownFilter):
    form_class = DropdownForm
