"""Workflow transitions raise message events (the workflow engine's only contract with messaging)."""

from apps.lowcode.messaging.sending import send_transition


def on_transition_applied(sender, document, record, **kwargs) -> None:
    send_transition(document, record)
