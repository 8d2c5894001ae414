"""The information-collection form (R22) as the parent downloads it, through the low-code print formats."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def printed_form(application) -> bytes:
    """The default print format rendered to PDF; a broken template becomes a message, not an error page."""
    from apps.lowcode.printing.errors import PrintError
    from apps.lowcode.printing.service import render_pdf

    try:
        return render_pdf(application)
    except PrintError as exc:
        raise ValidationError(
            _("The form cannot be produced right now; please try again later or contact the district."),
            code="print_error",
        ) from exc
