"""The events a DocType's message templates may wait for: those its workflows' transitions raise
(`sending.transition_events`: "action:<action>", "state:<state entered>") and the plain events the
owning app declares it sends itself (`registry.register(events=...)`). A template waiting for any
other name would never be sent, so saving one is refused (`MessageTemplate.clean`)."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType

from apps.lowcode.messaging.registry import provider_for


def valid_events(model) -> list[str]:
    """The app's own events, then every workflow action, then every state a transition enters."""
    from apps.lowcode.messaging.sending import transition_events
    from apps.lowcode.workflow.models import Transition

    rows = Transition.objects.filter(workflow__document_type=ContentType.objects.get_for_model(model))
    raised: dict[str, list[str]] = {"action": [], "state": []}
    for action, to_state in rows.values_list("action", "to_state").distinct():
        for event in transition_events(SimpleNamespace(action=action, to_state=to_state)):
            raised[event.split(":", 1)[0]].append(event)
    provider = provider_for(model)
    own = list(provider.events) if provider is not None else []
    return [*own, *sorted(set(raised["action"])), *sorted(set(raised["state"]))]
