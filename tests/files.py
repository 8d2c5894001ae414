"""Files the tests upload, built in memory: a phone photo that carries GPS and camera data (what the
upload check must strip), a one-page PDF, and either wrapped the way a browser sends it."""

import io

from PIL import Image
from pypdf import PdfWriter

GPS_IFD = 0x8825


def jpeg_with_gps(colour="red") -> bytes:
    """A 400×300 JPEG with a camera model and a GPS position in its EXIF."""
    image = Image.new("RGB", (400, 300), colour)
    exif = image.getexif()
    exif[0x0110] = "Family phone"  # camera model
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 17.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(GPS_IFD)  # the photo carries GPS
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A valid one-page blank PDF."""
    writer = PdfWriter()
    writer.add_blank_page(300, 400)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def named(content: bytes, name: str) -> io.BytesIO:
    """A file as a browser sends it: the test client uses the object's `name` as the file name."""
    handle = io.BytesIO(content)
    handle.name = name
    return handle
