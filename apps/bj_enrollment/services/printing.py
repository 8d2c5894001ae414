"""The information-collection form (R22) as the parent downloads it, through the low-code print formats."""

from apps.bj_enrollment import error_codes


def printed_form(application) -> bytes:
    """The default print format rendered to PDF; a broken template becomes a message, not an error page."""
    from apps.lowcode.printing.errors import PrintError
    from apps.lowcode.printing.service import render_pdf

    try:
        return render_pdf(application)
    except PrintError as exc:
        raise error_codes.PRINT_ERROR.error() from exc
