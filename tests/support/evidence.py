"""Making images and attaching them to timeline entries over HTTP, as a browser would."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Flask
from PIL import Image

from tests.conftest import logged_in_client
from tests.support.web import csrf_from

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(fmt: str, size=(40, 20), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = BytesIO()
    options = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCam"  # camera make
        tags[ORIENTATION] = 6  # rotated: shown turned 90 degrees
        tags[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0)}
        options["exif"] = tags.tobytes()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(client, token, incident, entry_id, data, filename="graph.png"):
    return client.post(
        f"/api/incidents/{incident}/entries/{entry_id}/evidence",
        data={"file": (BytesIO(data), filename)},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )


def attach(app: Flask, incident: int, entry_id: str, data: bytes, username: str) -> dict[str, Any]:
    """Attach `data` to an entry as `username`; returns the evidence."""
    client = logged_in_client(app, username)
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    response = upload(client, token, incident, entry_id, data)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["evidence"]
