"""Which DocTypes a saved report may read, and which of their fields: the host app registers each
source with the columns it allows (never a password, a verification code or a raw ID number), the
masks its columns leave with, and its scope function, the same one its desk lists use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q


@dataclass(frozen=True)
class Source:
    model: type
    columns: tuple[str, ...]  # model field names, foreign keys by their field name
    scope: Callable  # (queryset, user) -> the part the user may see
    masks: dict[str, Callable] = field(default_factory=dict)  # column -> function applied to the shown value
    personal: bool = False  # reading rows is recorded (apps/lowcode/audit)
    # column -> () -> [(value, label)]: allowed values of a column whose choices are data (workflow states)
    choices: dict[str, Callable] = field(default_factory=dict)

    def choices_of(self, name: str) -> list[tuple] | None:
        if name in self.choices:
            return list(self.choices[name]())
        model_field = self.model._meta.get_field(name)
        return list(model_field.flatchoices) if model_field.choices else None

    @property
    def label(self) -> str:
        return self.model._meta.label


_sources: dict[str, Source] = {}


def register(model, *, columns, scope, masks=None, personal=False, choices=None) -> None:
    for name in columns:
        model._meta.get_field(name)  # a typo fails at start-up, not in a report
    _sources[model._meta.label] = Source(
        model, tuple(columns), scope, dict(masks or {}), personal, dict(choices or {})
    )


def source_for(model) -> Source | None:
    return _sources.get(model._meta.label) if model is not None else None


def sources() -> list[Source]:
    return list(_sources.values())


def reportable_content_types() -> Q:
    """`limit_choices_to` of the report's DocType, evaluated when the form is built."""
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*(s.model for s in _sources.values())).values()]
    return Q(pk__in=ids)
