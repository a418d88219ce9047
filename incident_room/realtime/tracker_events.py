"""The post-mortem page's "open a ticket" for an action item, in the team's tracker."""

from __future__ import annotations

from typing import Any

from ..services.trackers.sync import send_to_tracker
from ..validation import require_uuid
from .acks import current_actor, require_joined, socket_event


@socket_event("postmortem.action_item.ticket")
def on_ticket(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id = require_joined(payload)
    item_id = require_uuid(payload, "item_id")
    op_id = require_uuid(payload, "op_id")
    return send_to_tracker(current_actor(), incident_id, item_id, op_id)
