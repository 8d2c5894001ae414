"""How a stored document leaves the server (portal, API, desk): only through a view that asked
services/documents.py whether this user may read it; never from a public URL, never cached by a
shared cache, never sniffed into something the browser would run."""

from django.http import FileResponse


def file_response(document, *, content: bytes | None = None) -> FileResponse:
    """The stored file (or `content`, e.g. a thumbnail, as JPEG), inline under its safe name."""
    if content is not None:
        import io

        response = FileResponse(io.BytesIO(content), content_type="image/jpeg", filename=document.name)
    else:
        response = FileResponse(document.file.open("rb"), content_type=document.content_type, filename=document.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
