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
