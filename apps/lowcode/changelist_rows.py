"""The desk lists' table rows, built per column instead of per cell.

Unfold's `items_for_result` recomputes every column header (sort links, the select-all checkbox
rendered through a template) for every row, renders each badge and each row's checkbox through the
template engine, and parses the preserved filters again for every link: about 85 % of a 50-row
page. Here everything that depends only on the column is worked out once per page, each distinct
badge is rendered once, the checkbox once (the row's id put in afterwards), and the preserved
filters once; each column is worked out at its first cell (how its value is read, its choices, its
opening tags), so a cell is a read, a format and an escape; the rows' markup around the cells is
rendered twice a page, not once a row (`rows_html`). The HTML is the same as Unfold's
(tests/bj_enrollment/reviewer/test_list_rows.py compares). Lists with editable rows (a formset) keep
Unfold's own code.
"""

from __future__ import annotations

import datetime
import html
import operator
from collections.abc import Hashable

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _coerce_field_name, result_hidden_fields
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import FieldIsAForeignKeyColumnName, _get_non_gfk_field, lookup_field
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template.loader import get_template
from django.urls import NoReverseMatch
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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

from apps.lowcode.escaping import escaped

PK_MARK = "0lowcodepk0"  # stands for the row's id in what is rendered once per page


_LINK_CLASSES = html.escape(" ".join(unfold.LINK_CLASSES))


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
            self.header_texts[index] = escaped(text)
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
        return SafeString(self.checkbox.replace(PK_MARK, escaped(result.pk)))

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


class _Column:
    """One column's share of a page, worked out at its first cell: how a row's value is read (the
    field, or the admin's method, found once instead of by `lookup_field` per cell), the cell's
    opening tag for each set of classes its values can give, the header text."""

    def __init__(self, cl, headers, page: _Page, index: int, name: str, link_tag: str | None):
        admin = cl.model_admin
        self.cl, self.page, self.name, self.link_tag = cl, page, name, link_tag
        self.empty = admin.get_empty_value_display()
        self.stock_checkbox = name == "action_checkbox" and _is_stock_checkbox(admin)
        self.field = self.attr = self.read = self.choices = self.datetime_format = None
        if not self.stock_checkbox:
            try:
                self.field = _get_non_gfk_field(cl.lookup_opts, name)
                self.read = operator.attrgetter(name)  # lookup_field's getattr(obj, name)
                self.choices = _choices(self.field)
            except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
                if callable(name):
                    self.attr = self.read = name
                elif hasattr(admin, name) and name != "__str__":
                    self.attr = self.read = getattr(admin, name)
                # else a model attribute or a related path: lookup_field, row by row
        classes = [f"field-{_coerce_field_name(name, index)}", *unfold.ROW_CLASSES]
        ordering_field = getattr(admin, "ordering_field", None)
        if not link_tag and ordering_field and name == ordering_field and getattr(admin, "hide_ordering_field", False):
            hidden = ["!hidden"]
        else:
            hidden = []
        if link_tag:
            label = page.header_text(headers, index)
        else:
            label = page.header_text(headers, index, _("Select record") if index == 0 else None)
        tag = link_tag or "td"
        self.opening = {
            kind: f'<{tag} class="{" ".join(names + hidden)}" data-label="{label}">'
            for kind, names in (
                ("plain", classes),
                ("nowrap", [*classes, "nowrap"]),
                ("checkbox", list(unfold.CHECKBOX_CLASSES)),
            )
        }
        self.closing = f"</{tag}>"

    def cell(self, result) -> str:
        kind, result_repr = self.value(result)
        if self.link_tag:
            result_repr = self.linked(result, result_repr)
        # Escaped: the value here, Unfold's class names and the header once a page. SafeString, not
        # mark_safe, whose keep_lazy wrapper cost a sixth of the cell.
        return SafeString(f"{self.opening[kind]}{escaped(result_repr)}{self.closing}")

    def value(self, result):
        """The cell's kind of classes and its content, as Unfold's `items_for_result` decides them."""
        if self.stock_checkbox:
            return "checkbox", display_for_value(self.page.action_checkbox(result), self.empty, False)
        try:
            if self.read is None:
                f, attr, value = lookup_field(self.name, result, self.cl.model_admin)
            else:
                f, attr, value = self.field, self.attr, self.read(result)
        except ObjectDoesNotExist:
            return "plain", self.empty
        if f is None or f.auto_created:
            empty = getattr(attr, "empty_value_display", self.empty)
            kind = "checkbox" if self.name == "action_checkbox" else "plain"
            if getattr(attr, "label", False):
                result_repr = self.page.label(value, empty, attr.label)
            elif getattr(attr, "dropdown", False):
                result_repr = display_for_dropdown(result, self.name, value, empty)
            elif getattr(attr, "header", False):
                result_repr = display_for_header(value, empty)
            else:
                result_repr = display_for_value(value, empty, getattr(attr, "boolean", False))
            if kind == "plain" and isinstance(value, datetime.date | datetime.time):
                kind = "nowrap"
            return kind, result_repr
        if isinstance(f.remote_field, models.ManyToOneRel):
            field_val = getattr(result, f.name)
            result_repr = self.empty if field_val is None else field_val
        elif self.choices is not None and f is self.field and isinstance(value, Hashable):
            result_repr = self.choices.get(value, self.empty)  # display_for_field's, its dict made once
        elif f is self.field and value is not None and type(f) is models.DateTimeField:
            result_repr = self.datetime(value)
        else:
            result_repr = display_for_field(value, f, self.empty)
        nowrap = isinstance(f, models.DateField | models.TimeField | models.ForeignKey)
        return ("nowrap" if nowrap else "plain"), result_repr

    def datetime(self, value) -> str:
        """display_for_field's `localize(template_localtime(value))`, its format looked up once a
        page instead of once a cell."""
        if self.datetime_format is None:
            self.datetime_format = formats.get_format("DATETIME_FORMAT")
        return dateformat.format(timezone.template_localtime(value), self.datetime_format)

    def linked(self, result, result_repr):
        cl = self.cl
        try:
            url = self.page.url_for_result(result)
        except NoReverseMatch:
            return result_repr
        url = self.page.link(url)
        popup = ""
        if cl.is_popup:
            value = result.serializable_value(str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname)
            popup = format_html(' data-popup-opener="{}"', value)
        # Unfold's format_html('<a href="{}" class="{}" {}>{}</a>', …), its class names escaped once
        return SafeString(f'<a href="{escaped(url)}" class="{_LINK_CLASSES}" {popup}>{escaped(result_repr)}</a>')


def _choices(field) -> dict | None:
    """A field's choices as display_for_field looks them up, or None where it does something else."""
    if not getattr(field, "flatchoices", None):
        return None
    try:
        return dict(field.flatchoices)
    except TypeError:  # list-like choices: display_for_field makes them hashable, value by value
        return None


def columns(cl, headers, page: _Page) -> list[_Column]:
    """The page's columns; the first linked one is a `th` (Unfold's rule)."""
    plan, first = [], True
    for index, name in enumerate(cl.list_display):
        link_tag = None
        if _link_in_col(first, name, cl):
            link_tag, first = ("th" if first else "td"), False
        plan.append(_Column(cl, headers, page, index, name, link_tag))
    return plan


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
    plan = columns(cl, headers, page)
    for res in cl.result_list:
        yield unfold.UnfoldResultList(res, None, [column.cell(res) for column in plan])


def result_list(context, cl):
    """The context of Unfold's `change_list_results.html`, as `unfold_list.result_list` makes it."""
    headers = list(unfold.result_headers(cl))
    admin = cl.model_admin
    page = {
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
    page["rows_html"] = rows_html(cl, page)
    return page


CELL_MARKS = ("0lowcodecell1", "0lowcodecell2")


class _MarkedRow(list):
    """A row for templates/admin/change_list_row.html whose two cells are markers."""

    form = None
    instance = _KeyOnly("pk", None)


def rows_html(cl, page: dict) -> str | None:
    """The table's rows from the row template rendered twice a page, an even and an odd row with
    markers for cells, instead of once a row (the template engine's loop, its conditions and an
    include per row were about a third of the table's time). Rows that carry per-row markup (a
    formset's errors, sections, row actions) go through the template row by row."""
    if getattr(cl, "formset", None) or page["list_sections"] or page["actions_row"] or not page["results"]:
        return None
    template = get_template("admin/change_list_row.html")
    frames = []
    for parity in (0, 1):
        row = template.render({**page, "result": _MarkedRow(CELL_MARKS), "forloop": {"counter0": parity}})
        head, rest = row.split(CELL_MARKS[0])
        between, tail = rest.split(CELL_MARKS[1])
        frames.append((head, between, tail))
    return mark_safe("".join(  # noqa: S308 (the template's own markup around cells already escaped)
        f"{head}{between.join(row)}{tail}"
        for index, row in enumerate(page["results"])
        for head, between, tail in (frames[index % 2],)
    ))
