"""The information-collection form (R22) as the parent downloads it, through the low-code print formats.

Rendered once per version of what it shows by the print worker and served from storage afterwards
(apps/lowcode/printing/stored.py). `family_pdf` is the one path of the family's own form (portal and API,
collection form and junior-high confirmation sheet): the print gate first, then the stored PDF.
"""

from apps.bj_enrollment import error_codes

PENDING_MESSAGE = "正在生成，请稍候"  # the family's page while the print worker renders the form


def family_pdf(document, *, wait: float | None = None) -> bytes | None:
    """The family's own form once its print gate allows it (ValidationError with the reason otherwise),
    or None while the print worker is still rendering it; a broken template becomes a message, not an
    error page."""
    from apps.bj_enrollment.rules.printing import check_family_print
    from apps.lowcode.printing.errors import PrintError
    from apps.lowcode.printing.stored import printed

    check_family_print(document)
    try:
        return printed(document, wait=wait)
    except PrintError as exc:
        raise error_codes.PRINT_ERROR.error() from exc


def pdf_response(pdf: bytes, filename: str):
    """The PDF inline, never kept by a shared cache."""
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
