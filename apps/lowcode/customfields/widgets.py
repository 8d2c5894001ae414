"""Widgets of the two structured custom field types, shared by the portal and the desk. They only
carry input: checking is `clean_custom_values`'s. Every administrator- or family-typed text is escaped."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.lowcode.customfields.models import MAX_TABLE_ROWS, FieldType

BLANK_ROWS = 2


class AttachmentWidget(forms.FileInput):
    """The stored file's name (a link where the page gives `download_url`), a file input, and a box to
    remove the file. Posts an upload, CLEAR, or nothing (the stored file stays)."""

    download_url: str = ""

    def render(self, name, value, attrs=None, renderer=None):
        from apps.lowcode.customfields.values import CLEAR

        current = ""
        if isinstance(value, dict) and value.get("name"):
            if self.download_url:
                current = format_html('<a href="{}">{}</a>', self.download_url, value["name"])
            else:
                current = format_html("<span>{}</span>", value["name"])
            current = format_html(
                '<div class="custom-attachment-current">{}: {} <label><input type="checkbox" name="{}" value="{}"> {}'
                "</label></div>",
                _("Current file"), current, f"{name}__clear", CLEAR, _("Remove"),
            )
        return format_html("{}{}", current, super().render(name, None, attrs, renderer))

    def value_from_datadict(self, data, files, name):
        from apps.lowcode.customfields.values import CLEAR

        upload = files.get(name) if files else None
        if upload is not None:
            return upload
        if data.get(f"{name}__clear"):
            return CLEAR
        return data.get(name)  # the API sends the stored value back, or CLEAR

    def value_omitted_from_data(self, data, files, name):
        return False

    def use_required_attribute(self, initial):
        return False  # a stored file satisfies "required" without a new upload


class TableWidget(forms.Widget):
    """Rows of the configured columns as a grid of inputs (`<name>-<row>-<column>`) with blank rows to
    add more; the API posts the rows as a list of objects under `<name>` instead."""

    columns: list = []

    def render(self, name, value, attrs=None, renderer=None):
        rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
        count = min(len(rows) + BLANK_ROWS, MAX_TABLE_ROWS + BLANK_ROWS)
        header = format_html_join("", "<th>{}</th>", ((column.label,) for column in self.columns))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (format_html_join("", "<td>{}</td>", (
                    (self._cell(f"{name}-{index}-{column.fieldname}", column,
                                rows[index].get(column.fieldname) if index < len(rows) else None),)
                    for column in self.columns
                )),)
                for index in range(count)
            ),
        )
        return format_html(
            '<table class="custom-table" id="{}"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
            '<input type="hidden" name="{}" value="{}">',
            (attrs or {}).get("id", f"id_{name}"), header, body, f"{name}-rows", count,
        )

    @staticmethod
    def _cell(name, column, value):
        if column.field_type == FieldType.CHECKBOX:
            checked = mark_safe(" checked") if value in (True, "on", "1", "true") else ""
            return format_html('<input type="checkbox" name="{}"{}>', name, checked)
        if column.field_type == FieldType.SELECT:
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option, mark_safe(" selected") if option == value else "", option)
                 for option in ["", *column.option_list]),
            )
            return format_html('<select name="{}">{}</select>', name, options)
        kind = {FieldType.DATE: "date", FieldType.NUMBER: "number"}.get(column.field_type, "text")
        return format_html('<input type="{}" name="{}" value="{}">', kind, name, "" if value is None else value)

    def value_from_datadict(self, data, files, name):
        if isinstance(data.get(name), list):  # the API's JSON rows
            return data.get(name)
        try:
            count = min(int(data.get(f"{name}-rows", 0)), MAX_TABLE_ROWS + BLANK_ROWS)
        except (TypeError, ValueError):
            count = 0
        if not count:
            return data.get(name)
        return [
            {
                column.fieldname: data.get(f"{name}-{index}-{column.fieldname}")
                for column in self.columns
                if f"{name}-{index}-{column.fieldname}" in data or column.field_type != FieldType.CHECKBOX
            }
            for index in range(count)
        ]

    def value_omitted_from_data(self, data, files, name):
        return False
