"""Evidence images for the PDF, handed to WeasyPrint as data: URIs our code builds.

Each image is read from our own evidence store by id, scaled down for print and written as
JPEG until it fits the locked fetcher's data: bound, so the renderer never loads a URL or a
file for it and a screenshot-heavy incident still makes a PDF of bounded size.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from PIL import Image

from ..extensions import db
from ..models import Evidence
from ..services.evidence import evidence_bytes
from .fetcher import MAX_DATA_URI_BYTES

# Longest side in pixels, tried in turn until the image fits (A4 text width is ~1600 px at 240 dpi).
PRINT_SIDES = (1600, 1200, 800, 480)
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Figure:
    number: int
    evidence: dict[str, Any]
    data_uri: str | None  # None when even the smallest size does not fit the bound


def _jpeg_data_uri(image: Image.Image, side: int) -> str:
    copy = image.copy()
    copy.thumbnail((side, side))
    flat = Image.new("RGB", copy.size, "white")
    flat.paste(copy, mask=copy.getchannel("A") if copy.mode == "RGBA" else None)
    out = BytesIO()
    flat.save(out, format="JPEG", quality=JPEG_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def print_data_uri(blob: bytes, max_uri_bytes: int = MAX_DATA_URI_BYTES) -> str | None:
    """The image as a data: URI of at most `max_uri_bytes` characters, or None."""
    with Image.open(BytesIO(blob)) as image:
        image = image.convert("RGBA")
        for side in PRINT_SIDES:
            uri = _jpeg_data_uri(image, side)
            if len(uri) <= max_uri_bytes:
                return uri
    return None


def evidence_figures(evidence: list[dict[str, Any]], max_images: int) -> list[Figure]:
    """The first `max_images` evidence images of a document, numbered E1, E2, ..."""
    figures = []
    for number, shown in enumerate(evidence[:max_images], start=1):
        stored = db.session.get(Evidence, shown["id"])
        uri = print_data_uri(evidence_bytes(stored)) if stored is not None else None
        figures.append(Figure(number, shown, uri))
    return figures
