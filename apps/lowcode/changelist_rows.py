"""The desk lists' table rows, built per column instead of per cell.

Unfold's `items_for_result` recomputes every column header (sort links, the select-all checkbox
rendered through a template) for every row, renders each badge and each row's checkbox through the
template engine, and parses the preserved filters again for every link: about 85 % of a 50-row
page. Here everything that depends only on the column is worked out once per page, each distinct
badge is rendered once, the checkbox once (the row's id put in afterwards), and the preserved
filters once. The HTML is the same as Unfold's (tests/lowcode/test_changelist_rows.py compares).
Lists with editable rows (a formset) keep Unfold's own code.
"""

from __future__ import annotations

import datetime

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _coerce_field_name, result_hidden_fields
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import lookup_field
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from unfold import admin as unfold_admin
from unfold.templatetags import unfold_list as unfold
from unfold.utils import (
    display_for_dropdown,
    display_for_field,
    display_for_header,
    display_for_label,
    display_for_value,
)

PK_MARK = "0lowcodepk0"  # stands for the row's id in what is rendered once per page


class _KeyOnly:
    def __init__(self, attname, value):
        setattr(self, attname, value)


class _Page:
    """What one page's rows share: the rendered badges and checkbox, the preserved filters."""

    def __init__(self, cl):
        self.cl = cl
        self.labels: dict = {}
        self.checkbox: str | None = None
        self.filters_suffix: str | None = None
        self.change_url: str | None = None
        self.header_texts: dict[int, str] = {}

    def header_text(self, headers, index: int, first_cell_label=None) -> str:
        """A column's escaped header (a lazy translation: evaluated once, not once per row)."""
        if index not in self.header_texts:
            text = first_cell_label if first_cell_label is not None else headers[index]["text"]
            self.header_texts[index] = conditional_escape(text)
        return self.header_texts[index]

    def url_for_result(self, result) -> str:
        """`cl.url_for_result`, reversed once per page for integer keys (the row's key put in after)."""
        pk = getattr(result, self.cl.pk_attname)
        if type(pk) is not int:
            return self.cl.url_for_result(result)
        if self.change_url is None:
            self.change_url = self.cl.url_for_result(_KeyOnly(self.cl.pk_attname, PK_MARK))
        return self.change_url.replace(PK_MARK, str(pk))

    def label(self, value, empty, label):
        try:
            key = (value, empty, id(label))
            hash(key)
        except TypeError:
            return display_for_label(value, empty, label)
        if key not in self.labels:
            self.labels[key] = display_for_label(value, empty, label)
        return self.labels[key]

    def action_checkbox(self, result):
        if self.checkbox is None:
            self.checkbox = str(unfold_admin.checkbox.render(helpers.ACTION_CHECKBOX_NAME, PK_MARK))
        return mark_safe(self.checkbox.replace(PK_MARK, conditional_escape(str(result.pk))))  # noqa: S308 (escaped)

    def link(self, url: str) -> str:
        """The change page's address with the list's filters kept, as add_preserved_filters makes
        it; change pages carry no query of their own, so the suffix is the same on every row."""
        cl = self.cl
        if "?" in url or not cl.preserved_filters:
            return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        if self.filters_suffix is None:
            full = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
            self.filters_suffix = full[len(url):] if full.startswith(url) else None
            return full
        return url + self.filters_suffix


def items_for_result(cl, result, headers, page: _Page):
    """Unfold's `items_for_result` for a row without a form, with the page's shared work reused."""
    first = True
    pk = cl.lookup_opts.pk.attname
    empty_default = cl.model_admin.get_empty_value_display()
    ordering_field = getattr(cl.model_admin, "ordering_field", None)
    hide_ordering_field = getattr(cl.model_admin, "hide_ordering_field", False)
    for field_index, field_name in enumerate(cl.list_display):
        empty_value_display = empty_default
        row_classes = [f"field-{_coerce_field_name(field_name, field_index)}", *unfold.ROW_CLASSES]
        if field_name == "action_checkbox" and _is_stock_checkbox(cl.model_admin):
            row_classes = unfold.CHECKBOX_CLASSES
            result_repr = display_for_value(page.action_checkbox(result), empty_value_display, False)
        else:
            try:
                f, attr, value = lookup_field(field_name, result, cl.model_admin)
            except ObjectDoesNotExist:
                result_repr = empty_value_display
            else:
                empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
                if f is None or f.auto_created:
                    if field_name == "action_checkbox":
                        row_classes = unfold.CHECKBOX_CLASSES
                    if getattr(attr, "label", False):
                        result_repr = page.label(value, empty_value_display, attr.label)
                    elif getattr(attr, "dropdown", False):
                        result_repr = display_for_dropdown(result, field_name, value, empty_value_display)
                    elif getattr(attr, "header", False):
                        result_repr = display_for_header(value, empty_value_display)
                    else:
                        result_repr = display_for_value(value, empty_value_display, getattr(attr, "boolean", False))
                    if isinstance(value, datetime.date | datetime.time):
                        row_classes.append("nowrap")
                else:
                    if isinstance(f.remote_field, models.ManyToOneRel):
                        field_val = getattr(result, f.name)
                        result_repr = empty_value_display if field_val is None else field_val
                    else:
                        result_repr = display_for_field(value, f, empty_value_display)
                    if isinstance(f, models.DateField | models.TimeField | models.ForeignKey):
                        row_classes.append("nowrap")

        if _link_in_col(first, field_name, cl):
            table_tag = "th" if first else "td"
            first = False
            try:
                url = page.url_for_result(result)
            except NoReverseMatch:
                link_or_text = result_repr
            else:
                url = page.link(url)
                value = result.serializable_value(str(cl.to_field) if cl.to_field else pk)
                link_or_text = format_html(
                    '<a href="{}" class="{}" {}>{}</a>',
                    url,
                    " ".join(unfold.LINK_CLASSES),
                    format_html(' data-popup-opener="{}"', value) if cl.is_popup else "",
                    result_repr,
                )
            row_class = mark_safe(f' class="{" ".join(row_classes)}"')  # noqa: S308 (Unfold's class names)
            yield mark_safe(  # noqa: S308 (format_html's escaping, the header escaped once per page)
                f"<{table_tag}{row_class} data-label=\"{page.header_text(headers, field_index)}\">"
                f"{conditional_escape(link_or_text)}</{table_tag}>"
            )
        else:
            if ordering_field and field_name == ordering_field and hide_ordering_field:
                row_classes.append("!hidden")
            row_class = mark_safe(f' class="{" ".join(row_classes)}"')  # noqa: S308 (Unfold's class names)
            label = page.header_text(headers, field_index, _("Select record") if field_index == 0 else None)
            yield mark_safe(  # noqa: S308 (format_html's escaping, the header escaped once per page)
                f'<td{row_class} data-label="{label}">{conditional_escape(result_repr)}</td>'
            )


def _is_stock_checkbox(model_admin) -> bool:
    """The row checkbox is Unfold's own (not overridden by the page), so it can be rendered once."""
    return type(model_admin).action_checkbox is unfold_admin.ModelAdmin.action_checkbox


def _link_in_col(is_first: bool, field_name: str, cl) -> bool:
    if cl.list_display_links is None:
        return False
    if is_first and not cl.list_display_links:
        return True
    return field_name in cl.list_display_links


def results(cl, headers):
    if getattr(cl, "formset", None):
        yield from unfold.results(cl)
        return
    page = _Page(cl)
    for res in cl.result_list:
        yield unfold.UnfoldResultList(res, None, items_for_result(cl, res, headers, page))


def result_list(context, cl):
    """The context of Unfold's `change_list_results.html`, as `unfold_list.result_list` makes it."""
    headers = list(unfold.result_headers(cl))
    admin = cl.model_admin
    return {
        "cl": cl,
        "list_sections": getattr(admin, "list_sections", ()),
        "list_sections_classes": getattr(admin, "list_sections_classes", ""),
        "ordering_field": getattr(admin, "ordering_field", None),
        "list_horizontal_scrollbar_top": getattr(admin, "list_horizontal_scrollbar_top", False),
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl, headers)),
        "actions_row": context.get("actions_row"),
        "has_add_permission": cl.model_admin.has_add_permission(context["request"]),
    }
