"""Print service: a document and a print format in, sandboxed HTML or a PDF with embedded CJK fonts out.

Every failure leaves as `PrintError` with a readable message, so a portal or desk page shows a
notice instead of a server error. WeasyPrint may fetch nothing but data: URIs (images a provider
embeds, such as a QR code): an administrator's template cannot read local files or reach the network.

Every caller (portal, API, desk preview, jobs, the save-time check) renders within the site's budget:
`print_budget_seconds`, `print_max_html_bytes`, `print_max_pages`. A document that fails is logged
and recorded as a `PrintFailure`, which the desk counts per format.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError

from apps.lowcode import sandbox
from apps.lowcode.printing import budget, fonts
from apps.lowcode.printing.errors import PrintError
from apps.lowcode.printing.models import PrintFailure, PrintFormat
from apps.lowcode.printing.registry import provider_for

__all__ = ["PrintError", "context_for", "find_format", "render", "render_html", "render_pdf", "sample_context",
           "template_problem"]

logger = logging.getLogger(__name__)

# Per-page progress and font-subsetting chatter would drown a worker's log.
for _name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

BASE_CSS = """
html { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 10.5pt; color: #000; }
body { margin: 0; }
"""


def _provider(model):
    provider = provider_for(model)
    if provider is None:
        label = model._meta.verbose_name if model is not None else "?"
        raise PrintError(_("Documents of type “%(doctype)s” cannot be printed.") % {"doctype": label})
    return provider


def sample_context(model: type[models.Model]) -> dict:
    """The provider's sample: checks and previews run on it without touching anyone's data."""
    return dict(_provider(model).sample)


def context_for(document: models.Model) -> dict:
    return dict(_provider(type(document)).context(document))


def find_format(model: type[models.Model], print_format: PrintFormat | None = None) -> PrintFormat:
    """The chosen format if it belongs to the DocType and is active, else the DocType's default."""
    content_type = ContentType.objects.get_for_model(model)
    if print_format is not None:
        if print_format.document_type_id != content_type.pk or not print_format.active:
            raise PrintError(_("The print format “%(format)s” is not available for this document.")
                             % {"format": print_format})
        return print_format
    found = PrintFormat.objects.filter(document_type=content_type, is_default=True, active=True).first()
    if found is None:
        raise PrintError(_("No default print format for “%(doctype)s”.") % {"doctype": model._meta.verbose_name})
    return found


def template_problem(source: str, context: Mapping[str, object]) -> str | None:
    """What is wrong with a template, naming the line, or None when it renders against `context`."""
    try:
        _within_budget(lambda: _render_body(source, context))
    except PrintError as exc:
        return exc.message
    return None


def _within_budget(work):
    seconds = settings.PRINT_BUDGET_SECONDS
    try:
        return budget.within(seconds, work)
    except budget.OverBudget:
        raise PrintError(_("Printing took longer than %(seconds)s seconds and was stopped.")
                         % {"seconds": f"{seconds:g}"}) from None


def _render_body(source: str, context: Mapping[str, object]) -> str:
    """The sandbox's rendering, streamed so that output past `print_max_html_bytes` stops it early."""
    limit, size, parts = settings.PRINT_MAX_HTML_BYTES, 0, []
    try:
        for part in sandbox.HTML.from_string(source).generate(dict(context)):
            size += len(part.encode())
            if size > limit:
                raise PrintError(_("The printed page is larger than %(limit)s bytes and was stopped.")
                                 % {"limit": limit})
            parts.append(part)
        return "".join(parts)
    except PrintError:
        raise
    except TemplateSyntaxError as exc:
        raise _at_line(exc.lineno, exc.message) from None
    except SecurityError as exc:
        raise _at_line(_template_line(exc), _("not allowed (%(detail)s)") % {"detail": exc}) from None
    except TemplateError as exc:
        raise _at_line(_template_line(exc), exc.message or str(exc)) from None
    except Exception as exc:  # an administrator's template may fail in many ways; none is a server error
        raise _at_line(_template_line(exc), f"{type(exc).__name__}: {exc}") from None


def _at_line(line, message) -> PrintError:
    return PrintError(_("line %(line)s: %(message)s") % {"line": line, "message": message})


def _template_line(exc: BaseException) -> str:
    """Jinja rewrites tracebacks so template frames carry the template's own line numbers."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"]
    return str(lines[-1]) if lines else "?"


def html_document(print_format: PrintFormat, context: Mapping[str, object]) -> str:
    """The whole page: @page size and orientation, the base CJK font, the format's CSS and body."""
    body = _render_body(print_format.template, context)
    page = f"@page {{ size: {print_format.page_size} {print_format.orientation}; }}"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(print_format.name)}</title>"
        f"<style>{page}{BASE_CSS}{print_format.css}</style></head><body>{body}</body></html>"
    )


def render_html(document: models.Model, print_format: PrintFormat | None = None) -> str:
    return render(find_format(type(document), print_format), document)


def render_pdf(document: models.Model, print_format: PrintFormat | None = None) -> bytes:
    return render(find_format(type(document), print_format), document, pdf=True)


def render(print_format: PrintFormat, document: models.Model | None = None, *, pdf: bool = False,
           context: Mapping[str, object] | None = None) -> str | bytes:
    """The format filled from `document` (from its DocType's sample when None), as HTML or PDF,
    within the budget. A document's failure is logged: a template that passes the sample check can
    still fail on real data, and the administrator must learn which format failed for whom.
    `context`: the document's context when the caller has it already (the stored print's key)."""
    if context is not None:
        pass
    elif document is None:
        context = sample_context(print_format.document_type.model_class())
    else:
        context = context_for(document)
    if pdf:
        fonts.common_faces()  # outside the budget: the first print on a machine makes them
    try:
        return _within_budget(lambda: _produce(print_format, context, pdf))
    except PrintError as exc:
        if document is not None:
            _record_failure(print_format, document, exc.message)
        raise


def _produce(print_format: PrintFormat, context: Mapping[str, object], pdf: bool) -> str | bytes:
    html = html_document(print_format, context)
    return html_to_pdf(html) if pdf else html


def _record_failure(print_format: PrintFormat, document: models.Model, message: str) -> None:
    logger.warning("print format %s failed for %s %s: %s", print_format.key, document._meta.label,
                   document.pk, message)
    PrintFailure.objects.create(print_format=print_format, document_type=ContentType.objects.get_for_model(document),
                                object_id=str(document.pk), error=str(message)[:2000])


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint within the budget; a layout longer than `print_max_pages` is not written out."""
    fonts.common_faces()
    return _within_budget(lambda: _write_pdf(html))


def _write_pdf(html: str) -> bytes:
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})  # anything else is left out (and logged)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=fonts.configuration_for(html))
        pages = len(document.pages)
        if pages <= settings.PRINT_MAX_PAGES:
            return document.write_pdf()
    except Exception as exc:
        raise PrintError(_("The PDF could not be produced: %(error)s") % {"error": exc}) from exc
    raise PrintError(_("The print has %(pages)s pages, more than the %(limit)s allowed.")
                     % {"pages": pages, "limit": settings.PRINT_MAX_PAGES})

