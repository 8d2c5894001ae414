"""Stored prints: a document's PDF is rendered once per version of what it shows, kept in the site's
storage and handed out again from there.

The version is a hash of what the PDF is made from: the print context (every value the template can
show: the document's data, custom fields, material number, whatever the provider adds) minus the
provider's `volatile` names, the format's template, CSS, page and title, the language and the
renderer's own version. Nothing is invalidated by signals, so nothing can be missed: a change to any
input is a new key, and the old file is removed when the new one is stored.

Rendering happens outside the web process: the request computes the key (cheap: the context, no
WeasyPrint), serves the stored file if there is one, else queues `jobs.store_pdf_job` on the "print"
queue (once per key) and waits briefly for the file. Sites without Redis (the embedded demo) render
in the request. Who may print is the caller's gate, asked before this module is reached.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import translation

from apps.lowcode.printing import service
from apps.lowcode.printing.errors import PrintError
from apps.lowcode.printing.models import PrintFormat
from apps.lowcode.printing.registry import provider_for

FOLDER = "printed"
QUEUE = "print"
RENDERER = "2"  # raise when the PDF pipeline itself changes (service.BASE_CSS, WeasyPrint options, fonts)
POLL_SECONDS = 0.05
QUEUED_SECONDS = 120  # a key is queued once in this time, however many requests wait for it
FAILED_SECONDS = 300  # a failed rendering is answered from this note instead of queued again at once


@dataclass(frozen=True)
class Version:
    """One version of one document's print: where its PDF lives once rendered."""

    document: models.Model
    print_format: PrintFormat
    context: dict
    key: str

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.document._meta.label_lower}/{self.document.pk}"

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.print_format.pk}-{self.key}.pdf"


def version_of(document: models.Model, print_format: PrintFormat | None = None) -> Version:
    print_format = service.find_format(type(document), print_format)
    context = service.context_for(document)
    volatile = provider_for(type(document)).volatile
    made_of = {
        "document": [document._meta.label_lower, str(document.pk)],
        "format": [print_format.pk, print_format.name, print_format.template, print_format.css,
                   print_format.page_size, print_format.orientation],
        "language": translation.get_language(),
        "renderer": RENDERER,
        "context": {name: value for name, value in context.items() if name not in volatile},
    }
    text = json.dumps(made_of, sort_keys=True, ensure_ascii=False, default=str)
    return Version(document, print_format, context, hashlib.sha256(text.encode()).hexdigest())


def stored(version: Version) -> bytes | None:
    try:
        with default_storage.open(version.path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def render_and_store(version: Version) -> bytes:
    """Render (WeasyPrint: the worker's side) and keep the file; older versions of the document's print go."""
    pdf = service.render(version.print_format, version.document, pdf=True, context=version.context)
    if not default_storage.exists(version.path):
        saved = default_storage.save(version.path, ContentFile(pdf))
        if saved != version.path:  # another worker stored the same version meanwhile
            default_storage.delete(saved)
    _drop_older(version)
    return pdf


def _drop_older(version: Version) -> None:
    try:
        _folders, files = default_storage.listdir(version.folder)
    except FileNotFoundError:
        return
    prefix, current = f"{version.print_format.pk}-", version.path.rsplit("/", 1)[1]
    for name in files:
        if name.startswith(prefix) and name != current:
            default_storage.delete(f"{version.folder}/{name}")


def printed(document: models.Model, print_format: PrintFormat | None = None, *, wait: float | None = None
            ) -> bytes | None:
    """The document's PDF: from storage, else rendered by the print worker within `wait` seconds
    (settings.PRINT_WAIT_SECONDS); None while it is still being rendered (the caller asks again).
    Raises PrintError when the rendering failed."""
    version = version_of(document, print_format)
    pdf = stored(version)
    if pdf is not None:
        return pdf
    if settings.PRINT_IN_PROCESS:
        return render_and_store(version)
    failed = cache.get(_failed_key(version.key))
    if failed is not None:
        raise PrintError(failed)
    if cache.add(_queued_key(version.key), 1, QUEUED_SECONDS):
        from apps.lowcode import jobs
        from apps.lowcode.printing.jobs import store_pdf_job

        jobs.enqueue(store_pdf_job, document._meta.label_lower, document.pk, print_format_id=version.print_format.pk,
                     language=translation.get_language(), queue=QUEUE)
    deadline = time.monotonic() + (settings.PRINT_WAIT_SECONDS if wait is None else wait)
    while True:
        pdf = stored(version)
        if pdf is not None:
            return pdf
        failed = cache.get(_failed_key(version.key))
        if failed is not None:
            raise PrintError(failed)
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def note_failure(version: Version, message: str) -> None:
    cache.set(_failed_key(version.key), str(message), FAILED_SECONDS)
    cache.delete(_queued_key(version.key))


def _queued_key(key: str) -> str:
    return f"print:queued:{key}"


def _failed_key(key: str) -> str:
    return f"print:failed:{key}"
