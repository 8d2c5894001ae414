"""Background rendering: a worker turns a document into a PDF without holding a web request."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

from apps.lowcode.printing import service
from apps.lowcode.printing.models import PrintFormat


def render_pdf_job(label: str, pk, *, print_format_id: int | None = None, out_dir: str | None = None) -> int:
    """Renders one document ("app_label.model", pk); writes `<pk>.pdf` under `out_dir` when given.

    Returns the PDF's size in bytes, so a caller measuring throughput need not keep the bytes.
    """
    document = apps.get_model(label)._default_manager.get(pk=pk)
    print_format = PrintFormat.objects.get(pk=print_format_id) if print_format_id else None
    pdf = service.render_pdf(document, print_format)
    if out_dir:
        Path(out_dir, f"{pk}.pdf").write_bytes(pdf)
    return len(pdf)


def store_pdf_job(label: str, pk, *, print_format_id: int | None = None, language: str | None = None) -> int:
    """The print worker's job (queue "print"): render the document's current version and store it.

    The key is computed here again from the data as it is now; a web request waiting for an older
    version asks again and finds this one. A rendering that fails is noted for the waiting requests
    (and recorded as a print failure by the service), not retried: the template must be fixed first.
    """
    from django.utils import translation

    from apps.lowcode.printing import stored

    document = apps.get_model(label)._default_manager.filter(pk=pk).first()
    if document is None:
        return 0
    print_format = PrintFormat.objects.filter(pk=print_format_id).first() if print_format_id else None
    with translation.override(language):
        try:
            version = stored.version_of(document, print_format)
        except service.PrintError:  # no format (any more): the request tells the family itself
            return 0
        pdf = stored.stored(version)
        if pdf is None:
            try:
                pdf = stored.render_and_store(version)
            except service.PrintError as exc:
                stored.note_failure(version, exc.message)
                return 0
    return len(pdf)
