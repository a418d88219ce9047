"""An evidence image's metadata as it is sent (the bytes are served by their URL)."""

from __future__ import annotations

from typing import TypedDict

from ..clock import iso
from ..models import Evidence
from .people import UserRef, user_ref


class EvidenceView(TypedDict):
    id: str
    entry_id: str
    content_type: str
    width: int
    height: int
    size: int
    sha256: str
    uploaded_by: UserRef | None
    uploaded_at: str
    url: str


def evidence_dict(evidence: Evidence) -> EvidenceView:
    return {
        "id": evidence.id,
        "entry_id": evidence.entry_id,
        "content_type": evidence.content_type,
        "width": evidence.width,
        "height": evidence.height,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_by": user_ref(evidence.uploaded_by),
        "uploaded_at": iso(evidence.uploaded_at),
        "url": f"/incidents/{evidence.incident_id}/evidence/{evidence.id}",
    }
