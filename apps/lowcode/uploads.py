"""One check for every file a user sends us: its type is decided by its content, never by its name or
the browser's content type; images are re-encoded so that no metadata (EXIF, GPS, comments) reaches
storage; PDFs must parse and may not carry scripts or embedded files.

`check_upload(uploaded_file, kinds, max_bytes)` returns a `CleanFile` (a ContentFile with a safe name,
the detected `kind` and its `content_type`) ready for a FileField or a storage's save(), or raises a
ValidationError whose code is declared in apps/bj_enrollment/error_codes.py (Chinese message through
the zh_Hans catalogue). Used by the application's documents and the attachment custom fields.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

JPEG, PNG, HEIC, PDF = "jpeg", "png", "heic", "pdf"
IMAGE_KINDS = (JPEG, PNG, HEIC)
ALL_KINDS = (JPEG, PNG, HEIC, PDF)
LABELS = {JPEG: "JPG", PNG: "PNG", HEIC: "HEIC", PDF: "PDF"}
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", HEIC: ".jpg", PDF: ".pdf"}  # HEIC is stored re-encoded as JPEG
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", HEIC: "image/jpeg", PDF: "application/pdf"}
ACCEPT = {
    JPEG: ".jpg,.jpeg,image/jpeg",
    PNG: ".png,image/png",
    HEIC: ".heic,.heif,image/heic",
    PDF: ".pdf,application/pdf",
}

# Pixels an image may have before it is decoded (a small file can decode to gigabytes: a
# decompression bomb). 60 MP is above any phone camera's default; larger images are refused unread.
MAX_PIXELS = 60_000_000
# Longest edge kept after re-encoding: enough to read a certificate, small enough to store and show.
MAX_EDGE = 4096
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
# PDF names that run something or carry another file: a viewer in the desk must never execute them.
# Names long enough not to occur by chance in compressed streams; the parsed checks below see the rest.
PDF_ACTIVE = (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
RUNNING_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}


class CleanFile(ContentFile):
    """The bytes we store (re-encoded for images), a name safe for any storage, and what they are."""

    def __init__(self, content: bytes, name: str, kind: str):
        super().__init__(content, name=name)
        self.kind = kind
        self.content_type = CONTENT_TYPES[kind]


def detect_kind(head: bytes) -> str | None:
    """The kind the first bytes announce (JPEG, PNG, HEIC/HEIF, PDF), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return HEIC
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def kinds_label(kinds: Iterable[str]) -> str:
    return "、".join(LABELS[kind] for kind in kinds)


def accept_attribute(kinds: Iterable[str]) -> str:
    """The `accept` attribute of a file input offering these kinds (a hint only; the server decides)."""
    return ",".join(ACCEPT[kind] for kind in kinds)


def size_label(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / 1024 / 1024:g} MB"
    return f"{n_bytes // 1024} KB" if n_bytes >= 1024 else f"{n_bytes} B"


def safe_name(original: str, kind: str) -> str:
    """The user's file name reduced to letters, digits, `-` and `_` (Chinese kept), with the extension
    of what the content is: `../户口簿 首页.php.jpg` holding a PDF becomes `户口簿_首页_php.pdf`."""
    base = PurePosixPath(unicodedata.normalize("NFKC", original or "").replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w-]+", "_", stem).strip("._-")[:60]
    return f"{stem or 'file'}{EXTENSIONS[kind]}"


def check_upload(uploaded_file, kinds: Iterable[str], max_bytes: int) -> CleanFile:
    """The cleaned file, or a ValidationError saying in the family's words what is wrong."""
    kinds = tuple(kinds)
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)  # never more than the limit, whatever `size` claimed
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="upload_empty")
    kind = detect_kind(data[:16])
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("This file is not of an accepted type (%(kinds)s); its content decides, not its name."),
            code="upload_type",
            params={"kinds": kinds_label(k for k in kinds if k != HEIC or heic_supported())},
        )
    name = getattr(uploaded_file, "name", "") or ""
    if kind == PDF:
        _check_pdf(data)
        return CleanFile(data, safe_name(name, kind), kind)
    if kind == HEIC and not heic_supported():
        raise ValidationError(
            _("HEIC photos cannot be read here; upload a JPG or PNG (or set the camera to 'Most Compatible')."),
            code="upload_heic",
        )
    return CleanFile(_reencode(data, kind), safe_name(name, kind), JPEG if kind == HEIC else kind)


def heic_supported() -> bool:
    """True when a HEIF opener (pillow-heif) is registered with Pillow; Pillow alone cannot read HEIC."""
    Image.init()
    return "HEIF" in Image.OPEN


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s."), code="upload_too_large", params={"limit": size_label(max_bytes)}
    )


def _damaged() -> ValidationError:
    return ValidationError(_("The file cannot be read; it may be damaged."), code="upload_damaged")


def _reencode(data: bytes, kind: str) -> bytes:
    """Decode (refusing decompression bombs before decoding), turn by the EXIF orientation, and save a
    fresh image without any of the original's metadata."""
    formats = {JPEG: ["JPEG"], PNG: ["PNG"], HEIC: ["HEIF"]}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=formats)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                _("The image has too many pixels (at most %(limit)s million)."),
                code="upload_pixels",
                params={"limit": MAX_PIXELS // 1_000_000},
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _damaged() from None
    out_format = "PNG" if kind == PNG else "JPEG"
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif out_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    image.info = {}  # nothing of the original's metadata travels, whatever a plugin reads from info
    out = io.BytesIO()
    if out_format == "JPEG":
        image.save(out, "JPEG", quality=88, optimize=True, exif=b"")
    else:
        image.save(out, "PNG", exif=b"")
    return out.getvalue()


def _check_pdf(data: bytes) -> None:
    """A PDF must parse, have a page, carry no password and nothing active (scripts, launch actions,
    embedded files, forms that run XFA)."""
    from pypdf import PdfReader

    if any(name in data for name in PDF_ACTIVE):
        raise ValidationError(
            _("The PDF contains scripts or embedded files, which are not accepted."), code="upload_pdf_active"
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected by a password; upload it without one."), code="upload_pdf_encrypted"
            )
        root = reader.trailer["/Root"]
        pages = len(reader.pages)
        active = _pdf_runs_something(root, reader.pages)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file; each means the same to the family
        raise _damaged() from None
    if pages < 1:
        raise _damaged()
    if active:
        raise ValidationError(
            _("The PDF contains scripts or embedded files, which are not accepted."), code="upload_pdf_active"
        )


def _pdf_runs_something(root, pages) -> bool:
    """Scripts by name or action at the entry points a viewer follows (also inside compressed object
    streams, which the byte scan cannot see): the catalog, each page, each annotation."""
    names = root.get("/Names") or {}
    if any(key in names for key in ("/JavaScript", "/EmbeddedFiles")) or "/AA" in root:
        return True
    if "/XFA" in (root.get("/AcroForm") or {}):
        return True
    if _runs(root.get("/OpenAction")):
        return True
    for page in pages:
        if "/AA" in page:
            return True
        for annotation in page.get("/Annots") or ():
            annotation = annotation.get_object()
            if "/AA" in annotation or _runs(annotation.get("/A")):
                return True
    return False


def _runs(action) -> bool:
    action = action.get_object() if hasattr(action, "get_object") else action
    return isinstance(action, dict) and action.get("/S") in RUNNING_ACTIONS
