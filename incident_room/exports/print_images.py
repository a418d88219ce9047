"""Evidence images scaled for print, inside the PDF worker.

The page asks for each image as `evidence:<n>`; only the worker's locked fetcher answers,
from the bytes the server handed over (exports/figures.py). Each is scaled down and written
as JPEG until it fits the fetcher's bound, so no URL or file is ever loaded for an image,
decoding and scaling stay off the server's event loop, and a screenshot-heavy incident
still makes a PDF of bounded size. Pillow only: the worker imports nothing of the app.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image

SCHEME = "evidence"
# Longest side in pixels, tried in turn until the image fits (A4 text width is ~1600 px at 240 dpi).
PRINT_SIDES = (1600, 1200, 800, 480)
JPEG_QUALITY = 82


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    flat = Image.new("RGB", copy.size, "white")
    flat.paste(copy, mask=copy.getchannel("A"))
    out = BytesIO()
    flat.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def print_jpeg(blob: bytes, max_bytes: int) -> bytes | None:
    """The image as a JPEG of at most `max_bytes`, scaled down as far as needed, or None."""
    with Image.open(BytesIO(blob)) as image:
        image = image.convert("RGBA")
        for side in PRINT_SIDES:
            jpeg = _jpeg(image, side)
            if len(jpeg) <= max_bytes:
                return jpeg
    return None
