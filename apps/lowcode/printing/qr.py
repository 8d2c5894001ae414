"""QR codes for printed documents, embedded as PNG data URIs (WeasyPrint fetches nothing else)."""

from __future__ import annotations

import segno

SCALE = 4
BORDER = 2


def qr_data_uri(payload: str) -> str:
    """Error correction M survives a folded or smudged paper form; 4 px modules stay sharp at print size."""
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=SCALE, border=BORDER)
