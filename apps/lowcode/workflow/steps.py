"""What follows a transition, in the order the owning app states it.

The owning app registers, per model, one ordered list of steps, each called as
`step(document, record)` inside the transition's transaction after its record is written; a step
may refuse the transition by raising (`errors.Refused`), which undoes it. The engine then queues the
transition's messages, last, so a message carries whatever the steps wrote (a number issued on
approval, say). Explicit calls in a stated order rather than signal receivers, whose order would
depend on the order the apps happen to load in.

    steps.register(Application, check_capacity, issue_material_number)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

Step = Callable[[models.Model, object], None]

_steps: dict[str, tuple[Step, ...]] = {}


def register(model: type[models.Model], *steps: Step) -> None:
    """Set the model's steps, replacing any earlier list: one place states them all, in order."""
    _steps[model._meta.label_lower] = steps


def after_transition(model: type[models.Model]) -> tuple[Step, ...]:
    return _steps.get(model._meta.label_lower, ())
