"""Socket.IO events of runbooks in the room: find one by words, attach it (its steps join
the checklist). Parse, authorise, call, reply; the change goes through the unit of work."""

from __future__ import annotations

from typing import Any

from ..services.access import visible_incident
from ..services.runbooks.authoring import find_runbooks
from ..services.runbooks.room import attach_found_runbook
from ..validation import require_int, require_text
from ..wire.runbooks import RunbookMatch
from .acks import current_actor, joined_change, require_joined, socket_event

MAX_SEARCH = 200


@socket_event("runbook.search", read=True)
def on_search(payload: dict[str, Any]) -> dict[str, Any]:
    visible_incident(current_actor(), require_joined(payload))
    words = require_text(payload, "q", MAX_SEARCH)
    matches: list[RunbookMatch] = [
        {"id": runbook.id, "title": runbook.title, "service": runbook.service.name}
        for runbook in find_runbooks(words)
    ]
    return {"ok": True, "runbooks": matches}


@socket_event("runbook.attach")
def on_attach(payload: dict[str, Any]) -> dict[str, Any]:
    runbook_id = require_int(payload, "runbook_id")
    return joined_change(
        payload, lambda inc: attach_found_runbook(inc, current_actor(), runbook_id)
    )
