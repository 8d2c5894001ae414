"""The family's own printed form on the portal (R21/R22 collection form, R37 confirmation sheet)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from apps.bj_enrollment.services.printing import family_pdf, pdf_response


def family_form_page(request, document, filename: str, home: str):
    """The PDF; the "being rendered" page that asks again by itself; or back `home` with the reason."""
    try:
        pdf = family_pdf(document)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(home)
    if pdf is None:  # the print worker is still rendering it
        response = render(request, "portal/printing.html", status=202)
        response["Refresh"] = "2"
        response["Cache-Control"] = "no-store"
        return response
    return pdf_response(pdf, filename)
