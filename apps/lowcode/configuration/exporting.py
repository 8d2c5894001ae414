"""The site's configuration as one JSON document (see `exportable.EXPORTABLE` for what it holds)."""

from __future__ import annotations

import json

from django.utils import timezone

from apps.lowcode.configuration import exportable
from apps.lowcode.configuration.preview import FORMAT
from apps.lowcode.configuration.serialization import serialize

VERSION = 1


def export(entries: list[exportable.Exportable] | None = None) -> dict:
    blocks = []
    for entry in exportable.installed() if entries is None else entries:
        rows = entry.model._default_manager.all()
        prefetch = [f.name for f in entry.model._meta.many_to_many] + [c.accessor for c in entry.children]
        blocks.append(
            {
                "model": entry.model._meta.label_lower,
                "records": [serialize(obj, entry) for obj in rows.prefetch_related(*prefetch)],
            }
        )
    return {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat(), "models": blocks}


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)


def filename() -> str:
    return f"configuration-{timezone.localtime():%Y%m%d-%H%M}.json"
