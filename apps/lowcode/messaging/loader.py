"""Default message templates shipped as JSON files, loaded at migrate.

One file per template, matched by its `key`: created when absent, never updated afterwards, so an
administrator's edit in the desk is not overwritten by the next deployment. The one exception: a file
may list the texts it shipped before under `replaces`; a template still holding one of those exactly
(nobody edited it) takes the new text.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.lowcode.messaging.models import MessageTemplate

FIELDS = ("event", "channel", "subject", "text", "provider_template_code", "provider_params", "active")


@transaction.atomic
def load_file(path: Path) -> tuple[MessageTemplate, bool]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    existing = MessageTemplate.objects.filter(key=data["key"]).first()
    if existing is not None:
        if "text" in data and existing.text != data["text"] and existing.text in data.get("replaces", ()):
            existing.text = data["text"]
            existing.full_clean()
            existing.save(update_fields=["text", "updated_at"])
        return existing, False
    model = apps.get_model(data["document_type"])
    template = MessageTemplate(
        key=data["key"],
        document_type=ContentType.objects.get_for_model(model),
        **{name: data[name] for name in FIELDS if name in data},
    )
    template.full_clean()  # a broken default fails the deployment, not a parent's message
    template.save()
    return template, True


def load_directory(directory: Path) -> list[tuple[MessageTemplate, bool]]:
    return [load_file(path) for path in sorted(Path(directory).glob("*.json"))]
