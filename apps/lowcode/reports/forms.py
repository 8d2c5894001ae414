"""The report builder's form: the columns and group-by offered are the chosen DocType's allowed ones
(pick the DocType, save, and the columns appear); filters are typed one per line as
`field operator value`. Everything is checked again by `SavedReport.clean` (apps/lowcode/reports/query.py)."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.lowcode.reports.models import SavedReport
from apps.lowcode.reports.query import OPERATORS, available_columns, groupable
from apps.lowcode.reports.registry import source_for


def parse_filters(text: str) -> list[dict]:
    """`state = 已提交` → {"field": "state", "op": "=", "value": "已提交"}; `remarks empty` has no value."""
    filters, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split(None, 2)
        if not parts:
            continue
        if len(parts) < 2 or parts[1] not in OPERATORS:
            errors.append(
                _("Line %(n)d: write a filter as “field operator value”, the operator one of %(ops)s.")
                % {"n": number, "ops": " ".join(OPERATORS)}
            )
            continue
        filters.append({"field": parts[0], "op": parts[1], "value": parts[2] if len(parts) > 2 else ""})
    if errors:
        raise forms.ValidationError(errors)
    return filters


def format_filters(filters: list[dict]) -> str:
    return "\n".join(f"{f.get('field', '')} {f.get('op', '')} {f.get('value', '')}".rstrip() for f in filters or [])


class SavedReportForm(forms.ModelForm):
    columns = forms.MultipleChoiceField(
        label=gettext_lazy("columns"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose the DocType and save: its columns, custom fields included, appear here."),
    )
    filters = forms.CharField(
        label=gettext_lazy("filters"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One per line: field operator value, e.g. “state = ready_to_print” or “district in 1,2”. "
            "Operators: = != < <= > >= contains in empty."
        ),
    )
    group_by = forms.ChoiceField(label=gettext_lazy("group by"), required=False)

    class Meta:
        model = SavedReport
        fields = ["name", "document_type", "columns", "filters", "group_by", "chart", "roles"]
        widgets = {"roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = source_for(self._chosen_model())
        columns = available_columns(source) if source else []
        self.fields["columns"].choices = [(c.key, f"{c.header} ({c.key})") for c in columns]
        self.fields["group_by"].choices = [("", "—")] + [(c.key, c.header) for c in columns if groupable(source, c)]
        if not self.is_bound and self.instance.pk:
            self.initial["filters"] = format_filters(self.instance.filters)

    def _chosen_model(self):
        chosen = self.data.get("document_type") if self.is_bound else None
        chosen = chosen or self.initial.get("document_type") or self.instance.document_type_id
        if isinstance(chosen, ContentType):
            return chosen.model_class()
        if str(chosen or "").isdigit():
            content_type = ContentType.objects.filter(pk=int(chosen)).first()
            return content_type.model_class() if content_type else None
        return None

    def clean_filters(self):
        return parse_filters(self.cleaned_data.get("filters") or "")
