"""Print service: a document and a print format in, sandboxed HTML or a PDF with embedded CJK fonts out.

Every failure leaves as `PrintError` with a readable message, so a portal or desk page shows a
notice instead of a server error. WeasyPrint may fetch nothing but data: URIs (images a provider
embeds, such as a QR code): an administrator's template cannot read local files or reach the network.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError

from apps.lowcode import sandbox
from apps.lowcode.printing.errors import PrintError
from apps.lowcode.printing.models import PrintFormat
from apps.lowcode.printing.registry import provider_for

__all__ = ["PrintError", "context_for", "find_format", "render_html", "render_pdf", "sample_context",
           "template_problem"]

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
        _render_body(source, context)
    except PrintError as exc:
        return exc.message
    return None


def _render_body(source: str, context: Mapping[str, object]) -> str:
    try:
        return sandbox.render(source, dict(context), html=True)
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
    return html_document(find_format(type(document), print_format), context_for(document))


def render_pdf(document: models.Model, print_format: PrintFormat | None = None) -> bytes:
    return html_to_pdf(render_html(document, print_format))


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})  # anything else is left out (and logged)
    try:
        return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except Exception as exc:
        raise PrintError(_("The PDF could not be produced: %(error)s") % {"error": exc}) from exc

