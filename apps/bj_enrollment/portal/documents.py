"""Portal pages for the family's documents (R4, R20): what the district asks for, upload, replace,
remove and view; thin views over services/documents.py, every refusal a message on the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.bj_enrollment.document_files import file_response
from apps.bj_enrollment.portal.session import parent_application, parent_required
from apps.bj_enrollment.rules import documents as rules
from apps.bj_enrollment.services import documents


@parent_required
def documents_page(request):
    application = parent_application(request)
    try:
        rules.check_can_change(application)
        can_change, why_not = True, ""
    except ValidationError as exc:
        can_change, why_not = False, exc.messages[0]
    context = {
        "application": application,
        "entries": documents.overview(application),
        "can_change": can_change,
        "why_not": why_not,
    }
    return render(request, "portal/documents.html", context)


@parent_required
@require_POST
def upload(request):
    try:
        document = documents.upload(
            request.user,
            parent_application(request),
            request.POST.get("requirement"),
            request.FILES.get("file"),
            replaces=request.POST.get("replaces"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s was uploaded.") % {"name": document.requirement.name})
    return redirect("portal:documents")


@parent_required
@require_POST
def remove(request, document_id: int):
    try:
        documents.remove(request.user, parent_application(request), document_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The file was removed."))
    return redirect("portal:documents")


@parent_required
@require_GET
def document_file(request, document_id: int):
    """One of the family's own current files (404 for anything else)."""
    return file_response(documents.open_for(request, document_id))
