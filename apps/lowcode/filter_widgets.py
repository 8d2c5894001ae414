"""The list filters' widgets, written in Python: the same bytes as Unfold's templates.

A list page renders four or five dropdown filters; through templates each option is an include of
select_option.html and attrs.html (~10 µs per option) and each filter a field.html with its label,
errors and help text, most of the panel's cost. The markup below is Unfold's unfold/widgets/select.html
with Django's select_option.html and attrs.html, character for character; likewise a dropdown's
filters_field.html with field.html, form_label.html, form_errors.html and help_text.html, and the
date-and-time range's split_datetime_vertical.html with date.html, time.html and input.html.
tests/bj_enrollment/reviewer/test_list_filters.py renders each filter both ways and compares them
(an Unfold upgrade that changes its markup fails there), bench/list_filters_bench.py times both."""

from __future__ import annotations

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from unfold.contrib.filters.admin import DropdownFilter as UnfoldDropdownFilter
from unfold.contrib.filters.admin import RangeDateTimeFilter as UnfoldRangeDateTimeFilter
from unfold.contrib.filters.forms import DropdownForm as UnfoldDropdownForm
from unfold.contrib.filters.forms import RangeDateTimeForm as UnfoldRangeDateTimeForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminSplitDateTimeVerticalWidget

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


_REQUIRED = '<span class="text-red-600 dark:text-red-500">*</span>'


def _errors(errors) -> str:
    """unfold/helpers/form_errors.html."""
    if not errors:
        return "\n"
    items = "".join(f"\n                <li>\n                    {conditional_escape(error)}"
                    "\n                </li>\n            " for error in errors)
    return (f'\n    <div class="mt-2 text-red-600 text-xs dark:text-red-500">\n        <ul>\n            {items}'
            "\n        </ul>\n    </div>\n\n")


def _field(field) -> str:
    """unfold/helpers/field.html for a select, with form_label.html, form_errors.html and help_text.html."""
    errors, required = field.errors, field.field.required
    label = (f'\n\n<label for="{conditional_escape(field.id_for_label)}" class="block font-semibold text-important">'
             f"\n    {conditional_escape(field.label)}"
             f"{_REQUIRED if required else ''}\n</label>\n")
    help_text = (f'\n    <div class="leading-relaxed mt-2 text-xs">\n        {field.help_text}\n    </div>\n'
                 if field.help_text else "")
    return (f'\n\n\n    <div class="{"errors " if errors else ""}flex flex-col group mb-4">\n'
            f'        <div class="flex flex-col gap-2">\n            {label}\n\n            {field}\n        </div>\n\n'
            f"        {_errors(errors)}\n\n        {help_text}\n\n    </div>\n\n")


class DropdownForm(UnfoldDropdownForm):
    widget = FilterSelect(attrs={"data-theme": "admin-autocomplete",
                                 "class": "unfold-admin-autocomplete admin-autocomplete"})

    def as_filter(self) -> str:
        """Unfold's unfold/filters/filters_field.html for this form (DROPDOWN_TEMPLATE adds the last newline)."""
        fields = "".join(f"\n        {_field(field)}\n    " for field in self)
        return mark_safe(f"\n\n\n    {fields}\n")  # noqa: S308 (labels, errors and widgets escaped in _field)


DROPDOWN_TEMPLATE = "desk/filters/dropdown.html"  # {{ form.as_filter }}: the filter without the template engine


class DropdownFilter(UnfoldDropdownFilter):
    form_class = DropdownForm
    template = DROPDOWN_TEMPLATE


def _input(widget: dict) -> str:
    """unfold/widgets/date.html or time.html around django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (f'<div class="flex flex-col max-w-2xl min-w-56 relative w-full">\n    <input type="{widget["type"]}" '
            f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n\n</div>\n')


def _labelled(label, widget: dict) -> str:
    """One half of split_datetime_vertical.html: its label, if any, and its input."""
    shown = (f'\n            <div class="mb-2">\n                {conditional_escape(label)}'
             "\n            </div>\n        " if label else "")
    return (f"\n        {shown}\n\n        \n            <div class=\"flex flex-row\">\n                "
            f"{_input(widget)}\n            </div>\n        \n    </div>")


class FilterSplitDateTime(UnfoldAdminSplitDateTimeVerticalWidget):
    """Unfold's date and time pair of a range filter, rendered without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        return mark_safe(  # noqa: S308 (every name, value and label escaped in _input and _labelled)
            '<div class="datetime flex flex-col max-w-2xl w-full">\n    <div class="flex flex-col flex-wrap mb-2">'
            f"{_labelled(context['date_label'], date)}\n\n    <div class=\"flex flex-col flex-wrap mt-3 md:mt-0\">"
            f"{_labelled(context['time_label'], time)}\n</div>"
        )


class RangeDateTimeForm(UnfoldRangeDateTimeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.__class__ = FilterSplitDateTime  # the same widget and attributes, rendered in Python


class RangeDateTimeFilter(UnfoldRangeDateTimeFilter):
    form_class = RangeDateTimeForm
