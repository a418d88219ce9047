"""An observer link as the room sees it (never its token), and the rule of its state."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict

from ..clock import iso, now
from ..models import ObserverLink
from .people import UserRef, user_ref

LinkState = Literal["active", "revoked", "expired"]


class LinkView(TypedDict):
    id: str
    incident_id: int
    created_by: UserRef | None
    created_at: str
    expires_at: str
    revoked_at: str | None
    revoked_by: UserRef | None
    state: LinkState


def ended_reason(link: ObserverLink, at: datetime) -> str | None:
    if link.revoked_at is not None:
        return "revoked"
    if at >= link.expires_at:
        return "expired"
    return None


def link_state(link: ObserverLink, at: datetime | None = None) -> LinkState:
    return ended_reason(link, at or now()) or "active"


def link_dict(link: ObserverLink) -> LinkView:
    """A link as the room sees it; never the token (it is built on demand for insiders)."""
    return {
        "id": link.id,
        "incident_id": link.incident_id,
        "created_by": user_ref(link.created_by),
        "created_at": iso(link.created_at),
        "expires_at": iso(link.expires_at),
        "revoked_at": iso(link.revoked_at),
        "revoked_by": user_ref(link.revoked_by),
        "state": link_state(link),
    }
