"""The family's documents (R4, R20): what the district asks for, uploading, replacing and removing
files, what is still missing before the details can be submitted, and reading a file.

Every caller (portal, API, desk) goes through here: the rule for when documents may change is
rules/documents.py, the file check apps/lowcode/uploads.py, the scope apps/bj_enrollment/scope.py.
A file is written to storage before the database transaction (storage may be a remote S3 store, an
external call) and deleted again if the transaction refuses it. Each change is noted in the
application's history; each staff read of a file is recorded (apps/lowcode/audit).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.models import Application, ApplicationDocument, DocumentRequirement
from apps.bj_enrollment.rules import documents as rules
from apps.bj_enrollment.scope import restrict
from apps.lowcode import uploads
from apps.lowcode.audit.record import Action, record


def requirements_for(application) -> QuerySet[DocumentRequirement]:
    """What the district asks this family for: the campaign's requirements for its hukou category,
    city-wide and its district's own."""
    return DocumentRequirement.objects.filter(
        Q(district__isnull=True) | Q(district_id=application.district_id),
        Q(hukou_category="") | Q(hukou_category=application.hukou_category),
        campaign_id=application.campaign_id,
    ).order_by("position", "pk")


def current(application) -> QuerySet[ApplicationDocument]:
    """The files that count now (not removed or replaced)."""
    return ApplicationDocument.objects.filter(application=application, removed_at__isnull=True).select_related(
        "requirement"
    )


def overview(application) -> list[dict]:
    """Per requirement: its current files and whether one more may be added, for the portal and API."""
    files: dict[int, list[ApplicationDocument]] = {}
    for document in current(application):
        files.setdefault(document.requirement_id, []).append(document)
    return [
        {
            "requirement": requirement,
            "documents": files.get(requirement.pk, []),
            "missing": requirement.required and not files.get(requirement.pk),
            "room": max(requirement.max_files - len(files.get(requirement.pk, [])), 0),
        }
        for requirement in requirements_for(application)
    ]


def missing(application) -> dict[str, list[ValidationError]]:
    """Required documents without a file, by field `documents-<requirement id>`: the gate of the
    details' submission (services/details.missing)."""
    return {
        f"documents-{entry['requirement'].pk}": [error_codes.DOCUMENT_MISSING.error(name=entry["requirement"].name)]
        for entry in overview(application)
        if entry["missing"]
    }


def _requirement(application, requirement_id) -> DocumentRequirement:
    try:
        return requirements_for(application).get(pk=int(requirement_id))
    except (DocumentRequirement.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"requirement": [error_codes.DOCUMENT_UNKNOWN.error()]}) from None


def _own_current(application, document_id) -> ApplicationDocument:
    try:
        return current(application).get(pk=int(document_id))
    except (ApplicationDocument.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _check_room(application, requirement, replacing: ApplicationDocument | None) -> None:
    count = current(application).filter(requirement=requirement).count() - (1 if replacing else 0)
    if count >= requirement.max_files:
        raise ValidationError(
            {"file": [error_codes.DOCUMENT_TOO_MANY.error(name=requirement.name, max=requirement.max_files)]}
        )


def _note(application, user, message: str) -> None:
    """A version of the application in its history, with what happened to its documents as the reason."""
    application._change_reason = message[:100]
    application._history_user = user
    application.save(update_fields=["updated_at"])


def upload(user, application, requirement_id, uploaded_file, *, replaces=None) -> ApplicationDocument:
    """Check the file by its content and store it for the requirement; `replaces`: the id of one of
    this requirement's current files, which the new one takes the place of."""
    rules.check_can_change(application)
    requirement = _requirement(application, requirement_id)
    old = None
    if replaces not in (None, ""):
        old = _own_current(application, replaces)
        if old.requirement_id != requirement.pk:
            raise ValidationError({"replaces": [error_codes.DOCUMENT_UNKNOWN.error()]})
    _check_room(application, requirement, old)
    if uploaded_file is None:
        raise ValidationError({"file": [error_codes.REQUIRED.error()]})
    try:
        clean = uploads.check_upload(uploaded_file, requirement.kinds, requirement.max_bytes)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        name=clean.name,
        kind=clean.kind,
        size=clean.size,
        uploaded_by=user,
    )
    document.file.save(clean.name, clean, save=False)  # storage first, outside the transaction
    try:
        with transaction.atomic():
            locked = (
                Application.objects.select_for_update().select_related("campaign", "district").get(pk=application.pk)
            )
            rules.check_can_change(locked)  # the state or the window may have moved meanwhile
            if old is not None:
                old = _own_current(locked, old.pk)
            _check_room(locked, requirement, old)
            document.application = locked
            document.save()
            if old is not None:
                old.removed_at, old.removed_by, old.replaced_by = timezone.now(), user, document
                old.save(update_fields=["removed_at", "removed_by", "replaced_by"])
                note = gettext("Replaced %(document)s: %(old)s → %(new)s")
            else:
                note = gettext("Uploaded %(document)s: %(new)s")
            _note(
                locked, user, note % {"document": requirement.name, "old": old.name if old else "", "new": clean.name}
            )
    except BaseException:
        document.file.delete(save=False)  # nothing stored for a refused upload
        raise
    return document


def remove(user, application, document_id) -> None:
    """The family takes a file back (not the last one of a required document: that one is replaced,
    so a submitted application never loses what its submission required); the row and file stay for
    the district's record."""
    rules.check_can_change(application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("campaign", "district").get(pk=application.pk)
        rules.check_can_change(locked)
        document = _own_current(locked, document_id)
        others = current(locked).filter(requirement=document.requirement).exclude(pk=document.pk)
        if document.requirement.required and not others.exists():  # the submission gate stays true
            raise error_codes.DOCUMENT_LAST_REQUIRED.error(name=document.requirement.name)
        document.removed_at, document.removed_by = timezone.now(), user
        document.save(update_fields=["removed_at", "removed_by"])
        _note(
            locked,
            user,
            gettext("Removed %(document)s: %(old)s") % {"document": document.requirement.name, "old": document.name},
        )


def readable(user, document_id) -> ApplicationDocument:
    """The document `user` may read, or 404 (never 403: whether it exists is not told). A parent reads
    the current files of their own application; staff read any file, removed ones included, of an
    application they may view, in their scope."""
    documents = ApplicationDocument.objects.select_related("application", "requirement")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    if user.is_staff:
        if not user.has_perm("bj_enrollment.view_application"):
            raise Http404
        documents = restrict(documents, user)
    else:
        documents = documents.filter(application__account=user, removed_at__isnull=True)
    try:
        return documents.get(pk=int(document_id))
    except (ApplicationDocument.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def open_for(request, document_id, application_id=None) -> ApplicationDocument:
    """`readable`'s document (of that application, when given), its read recorded when staff read it:
    who read whose document, when, from where (under the application it belongs to)."""
    document = readable(request.user, document_id)
    if application_id is not None and str(document.application_id) != str(application_id):
        raise Http404
    if request.user.is_staff:
        record(
            request,
            Action.VIEW,
            Application,
            object_id=document.application_id,
            detail=f"document {document.pk} {document.requirement.name}: {document.name}",
        )
    return document


def thumbnail(document, edge: int = 240) -> bytes | None:
    """A small JPEG of an image document for the desk's list (None for a PDF)."""
    if not document.is_image:
        return None
    import io

    from PIL import Image

    with document.file.open("rb") as handle:
        image = Image.open(handle)
        image.thumbnail((edge, edge))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
    return out.getvalue()
