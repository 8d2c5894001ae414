"""What a print format of a DocType may show: a context provider registered by the owning app.

Templates see the provider's plain data (dicts, strings, dates), never model instances, so the
sandbox has no ORM object to walk from; the provider also decides what is printed in full.

    registry.register_context(Application, application_print_context, sample={...})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Provider:
    context: Callable[[models.Model], Mapping[str, object]]
    sample: Mapping[str, object]  # every name the real context has, for save-time checks and previews
    # names whose value changes on every call (a "printed at" time): left out of a stored print's key,
    # so the stored PDF shows the value of its first rendering
    volatile: frozenset[str] = frozenset()


_providers: dict[str, Provider] = {}


def register_context(model: type[models.Model], context: Callable[[models.Model], Mapping[str, object]], *,
                     sample: Mapping[str, object], volatile: tuple[str, ...] = ()) -> None:
    _providers[model._meta.label_lower] = Provider(context=context, sample=dict(sample), volatile=frozenset(volatile))


def provider_for(model: type[models.Model] | None) -> Provider | None:
    return _providers.get(model._meta.label_lower) if model is not None else None


def registered_labels() -> list[str]:
    """The DocTypes ("app_label.model") that have a print context, hence may have print formats."""
    return list(_providers)
