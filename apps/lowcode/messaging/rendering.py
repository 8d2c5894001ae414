"""Message text through the project's one sandbox (text mode, undefined names are errors)."""

from __future__ import annotations

import traceback
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext

from apps.lowcode import sandbox
from apps.lowcode.messaging.registry import provider_for

# Names every event adds to the owning app's context (empty outside workflow transitions).
EVENT_SAMPLE = {
    "event": "state:approved",
    "action": "Approve",
    "from_state": "review",
    "to_state": "approved",
    "reason": "",
    "event_time": "2026-05-01 09:00",
}


def event_context(event: str, record=None) -> dict:
    context = dict.fromkeys(EVENT_SAMPLE, "")
    context["event"] = event
    context["event_time"] = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    if record is not None:
        action = str(getattr(record, "action", "") or "")
        context.update(
            action=gettext(action) if action else "",  # action labels are msgids; gettext("") is the header
            from_state=str(getattr(record, "from_state", "") or ""),
            to_state=str(getattr(record, "to_state", "") or ""),
            reason=str(getattr(record, "reason", "") or ""),
        )
    return context


def merge(document_context: Mapping, event: Mapping) -> dict:
    """The event's values over the document's, except that an empty event reason keeps the document's."""
    merged = {**event, **document_context}
    merged.update({name: value for name, value in event.items() if value or name not in document_context})
    if merged.get("reason"):  # a reason is set into a sentence of the template: no "。。" after it
        merged["reason"] = str(merged["reason"]).strip().rstrip("。．.！!；;，,、 ")
    return merged


def sample_context(model) -> dict:
    provider = provider_for(model)
    return merge(provider.sample if provider else {}, {**EVENT_SAMPLE, "reason": ""})


def template_problem(source: str, context: Mapping) -> str | None:
    """What is wrong with a template, naming the line also for errors found only while rendering."""
    problem = sandbox.template_error(source or "", dict(context), html=False)
    if problem and not problem.startswith("line "):
        line = _failing_line(source, context)
        if line:
            problem = f"line {line}: {problem}"
    return problem


def _failing_line(source: str, context: Mapping) -> int | None:
    """Jinja maps its tracebacks to template lines; the innermost template frame is the culprit."""
    try:
        sandbox.render(source, dict(context), html=False)
    except Exception as exc:  # only the location is wanted here
        lines = [
            lineno for frame, lineno in traceback.walk_tb(exc.__traceback__) if frame.f_code.co_filename == "<template>"
        ]
        return lines[-1] if lines else None
    return None


def render(source: str, context: Mapping) -> str:
    return sandbox.render(source, dict(context), html=False).strip()
