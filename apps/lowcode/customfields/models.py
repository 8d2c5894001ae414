"""A custom field is a configuration row: its values live in the DocType's JSON column, so adding,
changing or removing one needs no schema migration and never deletes stored values."""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.lowcode.customfields.registry import opted_in_content_types


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SELECT = "select", _("Select")
    CHECKBOX = "checkbox", _("Checkbox")
    PHONE = "phone", _("Mobile number")
    ID_NUMBER = "id_number", _("Resident ID number")
    ATTACHMENT = "attachment", _("Attachment")
    TABLE = "table", _("Table")


# Flags for the places a field shows; `custom_fields_for(document, where)` takes one of these keys.
PLACES = {
    "desk": "show_in_desk",
    "list_filter": "show_in_list_filter",
    "export": "show_in_export",
    "portal": "show_in_portal",
    "print": "show_in_print",
}
FILTERABLE_TYPES = (FieldType.SELECT, FieldType.CHECKBOX)
TEXT_TYPES = (FieldType.TEXT, FieldType.PHONE, FieldType.ID_NUMBER)
# What a table's columns may be: one value per cell, no files or nested tables.
SIMPLE_TYPES = tuple(t for t in FieldType if t not in (FieldType.ATTACHMENT, FieldType.TABLE))
MAX_TABLE_ROWS = 50
DEFAULT_MAX_SIZE_MB = 5

fieldname_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,62}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class CustomField(models.Model):
    document_type = models.ForeignKey(
        "contenttypes.ContentType",
        models.CASCADE,
        limit_choices_to=opted_in_content_types,
        verbose_name=_("DocType"),
    )
    fieldname = models.CharField(
        _("field name"),
        max_length=63,
        validators=[fieldname_validator],
        help_text=_("Key in the document's stored data; lower-case letters, digits and underscores."),
    )
    label_zh = models.CharField(_("label (Chinese)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    field_type = models.CharField(_("field type"), max_length=16, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("required"), default=False)
    help_text_zh = models.CharField(_("help text (Chinese)"), max_length=300, blank=True)
    help_text_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    pattern = models.CharField(
        _("pattern"),
        max_length=300,
        blank=True,
        help_text=_("Regular expression the whole value must match (text, mobile number and ID number fields)."),
    )
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_("For select fields: one option per line. For attachments: the accepted kinds, one per line "
                    "(jpeg, png, heic, pdf); empty: all of them."),
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"), default=5, blank=True, help_text=_("For attachments: the largest file accepted.")
    )
    columns = models.JSONField(
        _("table columns"),
        default=list,
        blank=True,
        help_text=_('For tables: the columns of each row, e.g. [{"fieldname": "name", "label": "姓名", '
                    '"field_type": "text", "required": true}]; types text, number, date, select (with '
                    '"options": [...]), checkbox, phone, id_number.'),
    )
    section = models.CharField(
        _("section"), max_length=100, blank=True, help_text=_("Fields with the same section are shown together.")
    )
    depends_on = models.CharField(
        _("shown when"),
        max_length=300,
        blank=True,
        help_text=_("A condition on the document's fields and other custom fields, e.g. housing_type == "
                    "\"rented\"; empty: always shown. A hidden field keeps no value."),
    )
    mandatory_depends_on = models.CharField(
        _("required when"),
        max_length=300,
        blank=True,
        help_text=_("A condition that makes the field required, in the same form as “shown when”."),
    )
    scope = models.JSONField(
        _("scope"),
        default=dict,
        blank=True,
        help_text=_('Where it applies, e.g. {"district_id": 5}; a list allows several values; empty: everywhere.'),
    )
    show_in_desk = models.BooleanField(_("desk change page"), default=True)
    show_in_list_filter = models.BooleanField(_("list filter"), default=False)
    show_in_export = models.BooleanField(_("export"), default=True)
    show_in_portal = models.BooleanField(_("parent portal"), default=False)
    show_in_print = models.BooleanField(_("print format"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["document_type", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document_type", "fieldname"], name="customfield_unique_per_doctype"),
        ]

    def __str__(self):
        return f"{self.label} ({self.fieldname})"

    @property
    def label(self) -> str:
        return self.label_en if self.label_en and _english() else self.label_zh

    @property
    def help_text(self) -> str:
        return self.help_text_en if self.help_text_en and _english() else self.help_text_zh

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def shows_in(self, where: str) -> bool:
        return getattr(self, PLACES[where])

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024

    @property
    def file_kinds(self) -> tuple[str, ...]:
        from apps.lowcode.uploads import ALL_KINDS

        return tuple(self.option_list) or ALL_KINDS

    def column_fields(self) -> list[CustomField]:
        """A table's columns as unsaved fields, so each cell is checked by the same `clean_value`."""
        if self.field_type != FieldType.TABLE or not isinstance(self.columns, list):
            return []
        return [
            CustomField(
                fieldname=str(column.get("fieldname", "")),
                label_zh=str(column.get("label") or column.get("fieldname", "")),
                label_en=str(column.get("label_en", "")),
                field_type=column.get("field_type", FieldType.TEXT),
                required=bool(column.get("required")),
                options="\n".join(str(option) for option in column.get("options") or []),
            )
            for column in self.columns
            if isinstance(column, dict)
        ]

    def _column_problem(self) -> str | None:
        if not isinstance(self.columns, list) or not self.columns:
            return _("A table needs at least one column.")
        seen = set()
        for number, column in enumerate(self.columns, 1):
            if not isinstance(column, dict):
                return _("Column %(number)s must be an object.") % {"number": number}
            name = column.get("fieldname")
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name) or name in seen:
                return _("Column %(number)s needs a distinct fieldname of lower-case letters, digits and "
                         "underscores.") % {"number": number}
            seen.add(name)
            if column.get("field_type", FieldType.TEXT) not in SIMPLE_TYPES:
                return _("Column %(number)s: a column is text, number, date, select, checkbox, mobile number or "
                         "ID number.") % {"number": number}
            if column.get("field_type") == FieldType.SELECT and not column.get("options"):
                return _("Column %(number)s: a select column needs its options.") % {"number": number}
        return None

    def _condition_problems(self, model) -> dict[str, str]:
        from apps.lowcode.customfields.conditions import condition_problem

        errors = {}
        for name in ("depends_on", "mandatory_depends_on"):
            expression = getattr(self, name)
            if expression.strip():
                problem = condition_problem(expression, model, self)
                if problem:
                    errors[name] = _("The condition cannot be used: %(problem)s") % {"problem": problem}
        return errors

    def clean(self):
        errors: dict[str, str] = {}
        if self.columns is None:  # left empty in the desk form
            self.columns = []
        if self.max_size_mb is None:
            self.max_size_mb = DEFAULT_MAX_SIZE_MB
        model = self.document_type.model_class() if self.document_type_id else None
        if model is not None and self.fieldname:
            if not getattr(model, "custom_fields_attr", None):
                errors["document_type"] = _("This DocType does not accept custom fields.")
            elif _model_has(model, self.fieldname):
                errors["fieldname"] = _("“%(name)s” is already a field of this DocType.") % {"name": self.fieldname}
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                errors["pattern"] = _("Not a valid regular expression: %(error)s") % {"error": exc}
            if self.field_type not in TEXT_TYPES:
                errors["pattern"] = _("A pattern applies to text, mobile number and ID number fields only.")
        if self.field_type == FieldType.SELECT and not self.option_list:
            errors["options"] = _("A select field needs at least one option (one per line).")
        if self.field_type == FieldType.TABLE:
            problem = self._column_problem()
            if problem:
                errors["columns"] = problem
        if self.field_type == FieldType.ATTACHMENT:
            from apps.lowcode.uploads import ALL_KINDS

            unknown = [kind for kind in self.option_list if kind not in ALL_KINDS]
            if unknown:
                errors["options"] = _("Unknown file kind(s) %(kinds)s; use %(known)s.") % {
                    "kinds": ", ".join(unknown), "known": ", ".join(ALL_KINDS)}
            if not self.max_size_mb:
                errors["max_size_mb"] = _("An attachment needs a largest size of at least 1 MB.")
        if model is not None:
            errors.update(self._condition_problems(model))
        if self.show_in_list_filter and self.field_type not in FILTERABLE_TYPES:
            errors["show_in_list_filter"] = _("Only select and checkbox fields can be list filters.")
        if not isinstance(self.scope, dict):
            errors["scope"] = _('The scope must be an object such as {"district_id": 5}.')
        elif model is not None:
            unknown = [name for name in self.scope if not _model_has(model, name)]
            if unknown:
                errors["scope"] = _("Unknown attribute(s) of this DocType: %(names)s") % {"names": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _model_has(model, name: str) -> bool:
    """Field names and column names (`district` and `district_id`) both count."""
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return any(getattr(f, "attname", None) == name for f in model._meta.concrete_fields)
    return True
