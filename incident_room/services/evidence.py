"""Evidence images: real PNG, JPEG or WebP only, metadata stripped, kept with the incident.

The content decides what a file is, never its name or the type the browser claims. Every
image is decoded and written out again, which drops EXIF (camera, GPS), XMP, comments and
text chunks and turns it the right way up; what is stored is what we wrote.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Evidence, Incident, User
from ..unit_of_work import EventType, record_event
from ..wire.evidence import evidence_dict
from .rows import row_in
from .timeline import entry_in

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000
NOT_AN_IMAGE = "Attach a PNG, JPEG or WebP image."


@dataclass(frozen=True)
class CleanImage:
    content_type: str
    data: bytes
    width: int
    height: int


def _rewrite(image: Image.Image, image_format: str) -> bytes:
    upright = ImageOps.exif_transpose(image)
    transparency = upright.info.get("transparency")
    upright.info = {}
    options: dict[str, Any] = {"quality": 90} if image_format != "PNG" else {}
    if transparency is not None and image_format == "PNG":
        options["transparency"] = transparency
    out = BytesIO()
    upright.save(out, format=image_format, **options)
    return out.getvalue()


def clean_image(blob: bytes, max_bytes: int) -> CleanImage:
    """Check that `blob` is an allowed image and return it re-encoded without metadata."""
    if not blob:
        raise invalid("file", NOT_AN_IMAGE)
    if len(blob) > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:.0f} MiB"
        raise DomainError("too_large", f"Images are limited to {limit}.", field="file")
    try:
        with Image.open(BytesIO(blob)) as probe:
            image_format = probe.format
            if image_format not in CONTENT_TYPES:
                raise invalid("file", NOT_AN_IMAGE)
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError("too_large", "The image has too many pixels.", field="file")
            probe.verify()
        with Image.open(BytesIO(blob)) as image:
            image.load()
            data = _rewrite(image, image_format)
            width, height = ImageOps.exif_transpose(image).size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid("file", NOT_AN_IMAGE) from None
    return CleanImage(CONTENT_TYPES[image_format], data, width, height)


def _file_path(evidence: Evidence) -> Path:
    return Path(current_app.instance_path) / "evidence" / str(evidence.incident_id) / evidence.id


def attach_evidence(
    incident: Incident, actor: User, entry_id: str, image: CleanImage
) -> dict[str, Any]:
    entry = entry_in(incident, entry_id)
    if entry.deleted:
        raise invalid("entry_id", "This entry is deleted; restore it first.")
    storage = current_app.config["EVIDENCE_STORAGE"]
    evidence = Evidence(
        id=str(uuid.uuid4()),
        incident_id=incident.id,
        entry_id=entry.id,
        uploaded_by_id=actor.id,
        uploaded_by=actor,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.data),
        sha256=hashlib.sha256(image.data).hexdigest(),
        storage=storage,
        data=image.data if storage == "database" else None,
    )
    db.session.add(evidence)
    db.session.flush()
    if storage == "filesystem":
        path = _file_path(evidence)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image.data)
    data = {"evidence": evidence_dict(evidence)}
    record_event(incident, EventType.EVIDENCE_ATTACHED, actor, data)
    return data


def incident_evidence(incident_id: int) -> list[Evidence]:
    return list(
        db.session.scalars(
            select(Evidence)
            .where(Evidence.incident_id == incident_id)
            .order_by(Evidence.uploaded_at, Evidence.id)
        )
    )


def evidence_bytes(evidence: Evidence) -> bytes:
    if evidence.storage == "database":
        return evidence.data or b""
    return _file_path(evidence).read_bytes()


def find_evidence(incident: Incident, evidence_id: str) -> Evidence:
    return row_in(incident.id, Evidence, evidence_id, "evidence")
