"""Who hears about a document, and what a template may say about it: registered by the owning app.

Frappe alerts everyone holding a role; here the owning app returns the document's own stakeholders
(a parent's registered mobile, say), so a template cannot reach anyone else.

    registry.register(Application, audience=application_audience, sample={...}, not_before=held_until,
                      events=("registered",))

`not_before(document, event)` (optional) is the earliest time a message of that event may leave,
or None for now: the owning app's rule says when a message would tell too early. `events` are the
plain events the app sends itself (`sending.send_event`); with its workflows' they are all a
template may wait for (`events.valid_events`).
"""

from __future__ import annotations

import datetime as dt
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
    not_before: Callable[[models.Model, str], dt.datetime | None] | None = None
    events: tuple[str, ...] = ()


_providers: dict[str, Provider] = {}


def register(
    model: type[models.Model],
    *,
    audience: Callable[[models.Model], Audience],
    sample: Mapping[str, object],
    not_before: Callable[[models.Model, str], dt.datetime | None] | None = None,
    events: Sequence[str] = (),
) -> None:
    _providers[model._meta.label_lower] = Provider(
        audience=audience, sample=dict(sample), not_before=not_before, events=tuple(events)
    )


def provider_for(model: type[models.Model] | None) -> Provider | None:
    return _providers.get(model._meta.label_lower) if model is not None else None


def registered_labels() -> list[str]:
    """The DocTypes ("app_label.model") that have an audience, hence may have message templates."""
    return list(_providers)


def unregister(model: type[models.Model]) -> None:
    _providers.pop(model._meta.label_lower, None)
