"""check_upload decides a file's type by its content, strips image metadata and refuses what a viewer
must never open (decompression bombs, PDFs with scripts), with the family's message in Chinese."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from apps.lowcode.uploads import ALL_KINDS, check_upload
from tests.files import jpeg_with_gps, pdf_bytes

MB = 1024 * 1024
def refusal(content: bytes, name: str, kinds=ALL_KINDS, max_bytes=10 * MB) -> ValidationError:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content, "image/jpeg"), kinds, max_bytes)
    return caught.value


def test_an_image_is_re_encoded_without_its_gps_and_camera_data():
    clean = check_upload(SimpleUploadedFile("../户口簿 首页.JPG", jpeg_with_gps(), "text/plain"), ALL_KINDS, MB)
    assert (clean.name, clean.kind, clean.content_type) == ("户口簿_首页.jpg", "jpeg", "image/jpeg")
    image = Image.open(io.BytesIO(clean.read()))
    assert image.size == (400, 300)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info


def test_the_content_decides_the_type_not_the_name():
    clean = check_upload(SimpleUploadedFile("photo.jpg", pdf_bytes(), "image/jpeg"), ALL_KINDS, MB)
    assert (clean.name, clean.kind) == ("photo.pdf", "pdf")
    error = refusal(pdf_bytes(), "photo.jpg", kinds=("jpeg", "png"))
    assert (error.code, error.messages) == (
        "upload_type",
        ["文件类型不符：只接受 JPG、PNG（按文件内容判断，改文件名无效）。"],
    )
    error = refusal(b"MZ\x90\x00 an executable", "certificate.pdf")
    assert error.code == "upload_type"


def test_size_is_limited_before_anything_is_decoded():
    error = refusal(jpeg_with_gps(), "a.jpg", max_bytes=100)
    assert (error.code, error.messages) == ("upload_too_large", ["文件超过 100 B，请压缩或分页后再上传。"])
    assert refusal(b"", "a.jpg").code == "upload_empty"


def test_a_decompression_bomb_is_refused_unread():
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 12 KB on disk, 100 megapixels decoded
    assert len(bomb.getvalue()) < 100_000
    assert refusal(bomb.getvalue(), "a.png").code == "upload_pixels"


def test_damaged_encrypted_and_scripted_pdfs_are_refused():
    assert refusal(b"%PDF-1.7\n garbage", "a.pdf").code == "upload_damaged"
    assert refusal(b"\xff\xd8\xff\xe0 not really a jpeg", "a.jpg").code == "upload_damaged"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue(), "a.pdf").code == "upload_pdf_encrypted"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_open_action(JavaScript("app.alert(1)"))
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue(), "a.pdf").code == "upload_pdf_active"


def test_heic_is_refused_in_chinese_while_pillow_cannot_read_it():
    error = refusal(b"\0\0\0\x18ftypheic" + b"\0" * 64, "IMG_0001.HEIC")
    assert error.code == "upload_heic"
    assert "HEIC" in error.messages[0] and "JPG" in error.messages[0]
