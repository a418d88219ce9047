"""One committed event as the room, observers, webhooks and resync receive it."""

from __future__ import annotations

from typing import Any, TypedDict

from ..clock import iso
from ..models import IncidentEvent, User
from .people import UserRef, user_ref


class Event(TypedDict):
    seq: int
    incident_id: int
    type: str
    actor: UserRef | None
    at: str
    data: dict[str, Any]
    hash: str


def event_dict(event: IncidentEvent, actor: User | None) -> Event:
    return {
        "seq": event.seq,
        "incident_id": event.incident_id,
        "type": event.type,
        "actor": user_ref(actor),
        "at": iso(event.at),
        "data": event.data,
        "hash": event.hash,
    }
