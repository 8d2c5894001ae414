"""The list filters, written in Python: the same bytes as Unfold's templates and form classes.

Through templates each option of a dropdown is an include of select_option.html and attrs.html and each
filter a field.html with its label, errors and help text; building the filter's form (field, widget
copies, validation, options) cost as much again. Here a dropdown's `form` (Dropdown) writes its field
out from the filter's choices and value, leaving to the form only a value no choice has (the form's
validation reports it); a date-and-time range without values is rendered once per language by its form
and kept (RangeDateTime). RENDERERS writes out the filters' templates (dropdown.html, Unfold's
filters_datetime_range.html and admin/filter.html) for the panel (templatetags/desk_filters.py). The
markup is Unfold's unfold/widgets/select.html with Django's select_option.html and attrs.html, character
for character; likewise filters_field.html with field.html, form_label.html, form_errors.html and
help_text.html, and split_datetime_vertical.html with date.html, time.html and input.html.
tests/bj_enrollment/reviewer/test_list_filters.py compares each filter and the panel with Unfold's (an
Unfold upgrade that changes its markup fails there), bench/list_filters_bench.py times both."""

from __future__ import annotations

import html
from functools import lru_cache

from django.utils.encoding import iri_to_uri
from django.utils.formats import localize
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext
from unfold.contrib.filters.admin import DropdownFilter as UnfoldDropdownFilter
from unfold.contrib.filters.admin import RangeDateTimeFilter as UnfoldRangeDateTimeFilter
from unfold.contrib.filters.forms import DropdownForm as UnfoldDropdownForm
from unfold.contrib.filters.forms import RangeDateTimeForm as UnfoldRangeDateTimeForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminSplitDateTimeVerticalWidget

from apps.lowcode.escaping import escaped

_ICON = (
    '<span class="material-symbols-outlined absolute group-[.primary]:text-white pointer-events-none mr-[12px] '
    "right-0 text-base-400 top-0 top-1/2 hover:text-base-700 dark:text-base-500 dark:hover:text-base-200 "
    '-translate-y-1/2">expand_more</span>'
)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: safe input stays unescaped (the filter is is_safe)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(value, attrs: dict, label) -> str:
    """django/forms/widgets/select_option.html."""
    return (f'\n            <option value="{_formatted(value)}"{_attrs(attrs)}>'
            f"{escaped(localize(label))}</option>\n")


def _select(name, attrs: dict, options: str) -> str:
    """unfold/widgets/select.html around its options."""
    return (f'<div class="grow relative max-w-2xl">\n    <select name="{escaped(name)}"{_attrs(attrs)}>'
            f"{options}\n    </select>\n\n    {_ICON}\n</div>")


class FilterSelect(UnfoldAdminSelectWidget):
    """Unfold's select widget, rendered without the template engine (single choice only)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n        <optgroup label="{escaped(group_name)}">')
            parts.extend(_option(option["value"], option["attrs"], option["label"]) for option in options)
            if group_name:
                parts.append("\n                </optgroup>")
        return mark_safe(_select(widget["name"], widget["attrs"], "".join(parts)))  # noqa: S308 (escaped above)


_REQUIRED = '<span class="text-red-600 dark:text-red-500">*</span>'


def _errors(errors) -> str:
    """unfold/helpers/form_errors.html."""
    if not errors:
        return "\n"
    items = "".join(f"\n                <li>\n                    {escaped(error)}"
                    "\n                </li>\n            " for error in errors)
    return (f'\n    <div class="mt-2 text-red-600 text-xs dark:text-red-500">\n        <ul>\n            {items}'
            "\n        </ul>\n    </div>\n\n")


def _field(field) -> str:
    """unfold/helpers/field.html for a select, with form_label.html, form_errors.html and help_text.html."""
    return _field_html(field.id_for_label, field.label, field.field.required, field, field.errors, field.help_text)


def _field_html(id_for_label, label, required, widget, errors, help_text) -> str:
    label = (f'\n\n<label for="{escaped(id_for_label)}" class="block font-semibold text-important">'
             f"\n    {escaped(label)}"
             f"{_REQUIRED if required else ''}\n</label>\n")
    help_text = (f'\n    <div class="leading-relaxed mt-2 text-xs">\n        {help_text}\n    </div>\n'
                 if help_text else "")
    return (f'\n\n\n    <div class="{"errors " if errors else ""}flex flex-col group mb-4">\n'
            f'        <div class="flex flex-col gap-2">\n            {label}\n\n            {widget}\n        </div>'
            "\n\n"
            f"        {_errors(errors)}\n\n        {help_text}\n\n    </div>\n\n")


def _filters_field(fields: str) -> str:
    """unfold/filters/filters_field.html around its fields (DROPDOWN_TEMPLATE adds the last newline)."""
    return mark_safe(f"\n\n\n    {fields}\n")  # noqa: S308 (labels, errors and widgets escaped in _field_html)


class DropdownForm(UnfoldDropdownForm):
    widget = FilterSelect(attrs={"data-theme": "admin-autocomplete",
                                 "class": "unfold-admin-autocomplete admin-autocomplete"})

    def as_filter(self) -> str:
        """Unfold's unfold/filters/filters_field.html for this form."""
        return _filters_field("".join(f"\n        {_field(field)}\n    " for field in self))


class Dropdown:
    """A dropdown filter's `form`: its field written out from the filter's choices and value, the markup
    DropdownForm renders, without building the form (its field, widget, validation and options cost more
    than the markup). A value that selects none of the choices, the one case the form's validation
    reports, and a multiple choice are left to DropdownForm itself."""

    widget = DropdownForm.widget
    Media = DropdownForm.Media  # the page's scripts and styles for the select (unfold's ModelAdmin.media)

    def __init__(self, name: str, label: str, choices, data: dict, multiple: bool = False) -> None:
        self.arguments = {"name": name, "label": label, "choices": choices, "data": data, "multiple": multiple}

    def form(self) -> DropdownForm:
        return DropdownForm(**self.arguments)

    def as_filter(self) -> str:
        name = self.arguments["name"]
        value = self.arguments["data"].get(name)
        if self.arguments["multiple"] or isinstance(value, (list, tuple)):
            return self.form().as_filter()
        chosen = "" if value is None else str(value)  # Select.format_value
        options, selected = [], False
        for key, label in self.arguments["choices"]:
            if isinstance(label, (list, tuple, dict)):
                return self.form().as_filter()  # a group of options: the widget's own optgroups
            key = "" if key is None else key
            this = not selected and str(key) == chosen  # Select.optgroups: the first match only
            selected = selected or this
            options.append(_option(key, {"selected": True} if this else {}, label))
        if chosen and not selected:
            return self.form().as_filter()  # ChoiceField.validate reports it (or accepts an equal key)
        field_id = f"id_{name}"  # the form's auto_id
        select = _select(name, {**self.widget.attrs, "id": field_id}, "".join(options))
        field = _field_html(field_id, self.arguments["label"], False, select, None, None)
        return _filters_field(f"\n        {field}\n    ")


DROPDOWN_TEMPLATE = "desk/filters/dropdown.html"  # {{ form.as_filter }}: the filter without the template engine


class DropdownFilter(UnfoldDropdownFilter):
    form_class = Dropdown
    template = DROPDOWN_TEMPLATE


def _input(widget: dict) -> str:
    """unfold/widgets/date.html or time.html around django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (f'<div class="flex flex-col max-w-2xl min-w-56 relative w-full">\n    <input type="{widget["type"]}" '
            f'name="{escaped(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n\n</div>\n')


def _labelled(label, widget: dict) -> str:
    """One half of split_datetime_vertical.html: its label, if any, and its input."""
    shown = (f'\n            <div class="mb-2">\n                {escaped(label)}'
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


class RangeDateTime:
    """A date-and-time range filter's `form`. Its markup depends on the values given, the filter's title
    and the language only, and most pages give no value (or the empty ones the panel's form submits):
    for those it is rendered once by RangeDateTimeForm and kept (_blank_range); any other value is
    rendered, and validated, by the form."""

    Media = RangeDateTimeForm.Media  # the page's scripts for the calendar (unfold's ModelAdmin.media)

    def __init__(self, name: str, data: dict) -> None:
        self.name, self.data = name, data

    def form(self) -> RangeDateTimeForm:
        return RangeDateTimeForm(name=self.name, data=self.data)

    def __iter__(self):
        """The form's fields, for a template that renders them (filters_datetime_range.html)."""
        return iter(self.form())


class RangeDateTimeFilter(UnfoldRangeDateTimeFilter):
    form_class = RangeDateTime


def _title(title) -> str:
    """`{% blocktranslate with filter_title=title %} By {{ filter_title }} {% endblocktranslate %}`."""
    return gettext(" By %(filter_title)s ") % {"filter_title": escaped(localize(title))}


def _dropdown(spec, choices) -> str | None:
    """desk/filters/dropdown.html."""
    form = choices[0]["form"]
    return f"{form.as_filter()}\n" if isinstance(form, (Dropdown, DropdownForm)) else None


def _datetime_range(spec, choices) -> str | None:
    """Unfold's unfold/filters/filters_datetime_range.html with form_errors.html."""
    form = choices[0]["form"]
    if isinstance(form, RangeDateTime):
        if all(value in (None, "") for value in form.data.values()):
            return _blank_range(form.name, tuple(form.data.items()), str(spec.title), get_language())
        form = form.form()
    return _range_html(spec.title, form) if isinstance(form, RangeDateTimeForm) else None


@lru_cache(maxsize=256)
def _blank_range(name: str, data: tuple, title: str, language: str) -> str:
    """The range filter without a value, per language (the placeholders and title are translated)."""
    return _range_html(title, RangeDateTimeForm(name=name, data=dict(data)))


def _range_html(title, form: RangeDateTimeForm) -> str:
    fields = "".join(
        f'\n                <div class="flex flex-row flex-wrap group relative{" errors" if field.errors else ""}">'
        f"\n                    {field}\n\n                    {_errors(field.errors)}"
        "\n                </div>\n            "
        for field in form
    )
    return ('\n\n\n    <div class="flex flex-col">\n        <h3 class="font-semibold mb-2 text-font-important-light '
            f'dark:text-font-important-dark">{_title(title)}</h3>\n\n        <div class="flex flex-col space-y-2">'
            f"\n            {fields}\n        </div>\n    </div>\n\n")


def _href(query_string) -> str:
    """`{{ choice.query_string|iriencode }}` (iriencode keeps safe input safe)."""
    uri = iri_to_uri(query_string)
    return uri if isinstance(query_string, SafeData) else html.escape(uri)


def _first(value):
    """`{{ value.0 }}` of a list or a string; None where the template would find nothing."""
    try:
        return value[0]
    except (TypeError, IndexError, KeyError):
        return None


_CHOICE_KEYS = {"selected", "query_string", "display"}


def _links(spec, choices) -> str | None:
    """Unfold's admin/filter.html, its vertical list (the horizontal one is left to the template)."""
    if type(spec).__name__ == "BooleanFieldListFilter" or getattr(spec, "horizontal", False):
        return None
    if any(not _CHOICE_KEYS <= choice.keys() for choice in choices):
        return None  # a filter of its own making: the template shows what it has
    selected = _first(getattr(spec, "lookup_val", None))
    hidden = "".join(
        "\n        " + (f'\n            <input type="hidden" name="{escaped(localize(spec.lookup_kwarg))}" '
                        f'value="{escaped(localize(selected))}" />\n        '
                        if choice["selected"] and selected else "") + "\n    "
        for choice in choices
    )
    items = "".join(
        '\n                <li class="border-b border-base-200 last:border-b-0 dark:border-base-700 '
        + ("font-semibold text-primary-600 dark:text-primary-500 " if choice["selected"]
           else "hover:text-base-700 dark:hover:text-base-200")
        + f'">\n                    <a href="{_href(choice["query_string"])}" '
        f'title="{escaped(localize(choice["display"]))}" class="block px-3 py-2 hover:text-primary-600 '
        f'dark:hover:text-primary-500">\n                        {escaped(localize(choice["display"]))}'
        "\n                    </a>\n                </li>\n            "
        for choice in choices
    )
    return ('\n\n<div>\n    <h3 class="font-semibold mb-2 text-font-important-light dark:text-font-important-dark">'
            f"\n        {_title(spec.title)}\n    </h3>\n\n    {hidden}\n\n    \n        <ul class=\"border "
            'border-base-200 flex flex-col rounded-default shadow-xs dark:border-base-700">\n            '
            f"{items}\n        </ul>\n    \n</div>\n")


# The filters' templates written out above, by name: the panel (templatetags/desk_filters.py) calls these
# instead of the template engine; a renderer answers None for a variant it does not write out.
RENDERERS = {
    DROPDOWN_TEMPLATE: _dropdown,
    UnfoldRangeDateTimeFilter.template: _datetime_range,
    "admin/filter.html": _links,
}
