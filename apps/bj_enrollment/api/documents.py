"""API v1 /application/documents: what the district asks the family for, and the family's files
(multipart upload, replace, remove, download). The rules are services/documents.py's, as on the portal."""

from __future__ import annotations

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from apps.bj_enrollment.api import auth
from apps.bj_enrollment.document_files import file_response
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.portal.session import application_of
from apps.bj_enrollment.rules import documents as rules
from apps.bj_enrollment.services import documents

router = Router(tags=["documents"], auth=auth.PARENT_AUTH)


def _application(request) -> Application:
    """The token's (or session's) own application, never an id from the request."""
    return application_of(request.auth)


class DocumentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    uploaded_at: str
    url: str


class RequirementOut(Schema):
    id: int
    name: str
    instructions: str
    required: bool
    max_files: int
    kinds: list[str]
    max_size_mb: int
    missing: bool
    room: int
    documents: list[DocumentOut]


class DocumentsOut(Schema):
    can_change: bool
    requirements: list[RequirementOut]


def _document_out(request, document) -> dict:
    return {
        "id": document.pk,
        "name": document.name,
        "kind": document.kind,
        "size": document.size,
        "uploaded_at": document.uploaded_at.isoformat(),
        "url": request.build_absolute_uri(f"/api/v1/application/documents/{document.pk}"),
    }


@router.get("", response=DocumentsOut)
def list_documents(request):
    """The documents the district asks for (by campaign, district and hukou category), each with the
    files uploaded, whether it is still `missing` (required and no file: the details cannot be
    submitted) and `room` for more files; `can_change` says whether files may be added or removed now."""
    application = _application(request)
    return {
        "can_change": rules.can_change(application),
        "requirements": [
            {
                "id": entry["requirement"].pk,
                "name": entry["requirement"].name,
                "instructions": entry["requirement"].instructions,
                "required": entry["requirement"].required,
                "max_files": entry["requirement"].max_files,
                "kinds": entry["requirement"].kinds,
                "max_size_mb": entry["requirement"].max_size_mb,
                "missing": entry["missing"],
                "room": entry["room"],
                "documents": [_document_out(request, d) for d in entry["documents"]],
            }
            for entry in documents.overview(application)
        ],
    }


@router.post("", response={201: DocumentOut})
def upload_document(
    request,
    requirement: Form[int],
    file: File[UploadedFile],
    replaces: Form[int | None] = None,
):
    """Upload one file (multipart/form-data: `requirement`, `file`, optionally `replaces`: the id of a
    file of the same requirement that the new one replaces). The type is decided by the file's content;
    images are stored re-encoded without their metadata (EXIF, GPS)."""
    document = documents.upload(request.auth, _application(request), requirement, file, replaces=replaces)
    return Status(201, _document_out(request, document))


@router.get("/{document_id}")
def download_document(request, document_id: int):
    """One of the family's own current files."""
    return file_response(documents.open_for(request, document_id))


@router.delete("/{document_id}", response={204: None})
def remove_document(request, document_id: int):
    """Take a file back while documents may still change."""
    documents.remove(request.auth, _application(request), document_id)
    return Status(204, None)
