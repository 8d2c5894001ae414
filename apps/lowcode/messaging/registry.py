"""Who hears about a document, and what a template may say about it: registered by the owning app.

Frappe alerts everyone holding a role; here the owning app returns the document's own stakeholders
(a parent's registered mobile, say), so a template cannot reach anyone else.

    registry.register(Application, audience=application_audience, sample={...})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Audience:
    """The recipients per channel ("sms": mobiles, "email": addresses) and the template context."""

    recipients: Mapping[str, Sequence[str]]
    context: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Provider:
    audience: Callable[[models.Model], Audience]
    sample: Mapping[str, object]  # a context with every name the real one has, for checks and previews


_providers: dict[str, Provider] = {}


def register(
    model: type[models.Model], *, audience: Callable[[models.Model], Audience], sample: Mapping[str, object]
) -> None:
    _providers[model._meta.label_lower] = Provider(audience=audience, sample=dict(sample))


def provider_for(model: type[models.Model] | None) -> Provider | None:
    return _providers.get(model._meta.label_lower) if model is not None else None


def registered_labels() -> list[str]:
    """The DocTypes ("app_label.model") that have an audience, hence may have message templates."""
    return list(_providers)


def unregister(model: type[models.Model]) -> None:
    _providers.pop(model._meta.label_lower, None)
