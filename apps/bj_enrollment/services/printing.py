"""The information-collection form (R22) as the parent downloads it, through the low-code print formats.

Rendered once per version of what it shows by the print worker and served from storage afterwards
(apps/lowcode/printing/stored.py); the caller asks `rules.printing.check_can_print` first.
"""

from apps.bj_enrollment import error_codes

PENDING_MESSAGE = "正在生成，请稍候"  # the family's page while the print worker renders the form


def printed_form(application, *, wait: float | None = None) -> bytes | None:
    """The default print format as a PDF, or None while the print worker is still rendering it;
    a broken template becomes a message, not an error page."""
    from apps.lowcode.printing.errors import PrintError
    from apps.lowcode.printing.stored import printed

    try:
        return printed(application, wait=wait)
    except PrintError as exc:
        raise error_codes.PRINT_ERROR.error() from exc
