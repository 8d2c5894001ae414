"""What the workflow engine hands to messaging after a transition, built by hand (its models are not ours)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.lowcode.messaging.sending import send_transition
from apps.lowcode.workflow.guard import engine_saving


@dataclass
class Record:
    action: str
    from_state: str
    to_state: str
    user: object = None
    reason: str = ""
    created_at: object = field(default_factory=timezone.now)


def apply(document, action: str, to_state: str, reason: str = "", user=None) -> Record:
    """Moves the document and queues its messages inside one transaction, as the engine does."""
    record = Record(action=action, from_state=document.state, to_state=to_state, reason=reason, user=user)
    with transaction.atomic(), engine_saving():
        document.state = to_state
        document.save(update_fields=["state"])
        send_transition(document, record)
    return record
