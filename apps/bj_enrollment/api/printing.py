"""The family's own printed form through the API (R21/R22 collection form, R37 confirmation sheet)."""

import json

from django.http import HttpResponse

from apps.bj_enrollment.services.printing import PENDING_MESSAGE, family_pdf, pdf_response


def family_form_answer(document, filename: str) -> HttpResponse:
    """The PDF, or 202 with Retry-After while the print worker renders it; a refusal is the print
    gate's ValidationError, answered in the API's error shape."""
    pdf = family_pdf(document)
    if pdf is None:
        body = json.dumps({"status": "pending", "message": PENDING_MESSAGE}, ensure_ascii=False)
        response = HttpResponse(body, status=202, content_type="application/json")
        response["Retry-After"] = "2"
        return response
    return pdf_response(pdf, filename)
