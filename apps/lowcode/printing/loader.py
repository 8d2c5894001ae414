"""Default print formats shipped as files, loaded at migrate.

A format is `<key>.json` (name, document type, page, flags) beside `<key>.html` and, optionally,
`<key>.css`. Matched by key: created when absent, never updated afterwards, so an administrator's
edit in the desk survives the next deployment. A shipped default does not take the flag from a
default an administrator chose.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.lowcode.printing.models import PrintFormat

FIELDS = ("name", "page_size", "orientation", "active")


@transaction.atomic
def load_file(path: Path) -> tuple[PrintFormat, bool]:
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    key = data.get("key", path.stem)
    existing = PrintFormat.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    content_type = ContentType.objects.get_for_model(apps.get_model(data["document_type"]))
    css = path.with_suffix(".css")
    print_format = PrintFormat(
        key=key,
        document_type=content_type,
        template=path.with_suffix(".html").read_text(encoding="utf-8"),
        css=css.read_text(encoding="utf-8") if css.exists() else "",
        is_default=bool(data.get("is_default"))
        and not PrintFormat.objects.filter(document_type=content_type, is_default=True).exists(),
        **{name: data[name] for name in FIELDS if name in data},
    )
    print_format.full_clean()  # a broken default fails the deployment, not a parent's download
    print_format.save()
    return print_format, True


def load_directory(directory: Path) -> list[tuple[PrintFormat, bool]]:
    return [load_file(path) for path in sorted(Path(directory).glob("*.json"))]
