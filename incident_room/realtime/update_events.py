"""The room's way to ask for an update draft over its socket (the page has a twin)."""

from __future__ import annotations

from typing import Any

from ..policy import UPDATE_AUDIENCES
from ..services.access import visible_incident
from ..services.roles import may_communicate
from ..services.updates.drafts import draft_update
from ..validation import require_choice
from .acks import current_actor, require_joined, socket_event


@socket_event("update.draft", read=True)
def on_update_draft(payload: dict[str, Any]) -> dict[str, Any]:
    incident = visible_incident(current_actor(), require_joined(payload))
    audience = require_choice(payload, "audience", UPDATE_AUDIENCES)
    return {
        "draft": draft_update(incident, audience),
        "can_post": may_communicate(incident, current_actor()),
        "seq": incident.last_seq,
    }
