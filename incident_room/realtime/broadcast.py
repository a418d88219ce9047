"""Sending committed events to an incident's room."""

from __future__ import annotations

from typing import Any

from ..extensions import socketio
from ..unit_of_work import EventType

TIMER_EVENT_PREFIXES = ("incident.", "role.", "timeline.")


def room_name(incident_id: int) -> str:
    return f"incident:{incident_id}"


def moves_deadlines(event: dict[str, Any]) -> bool:
    """Whether the room's deadlines may have moved with this event.

    A new timeline entry moves them only when it is an update (it restarts its audience's
    countdown); a note, the bulk of a busy room, does not, and sparing the room a `timers`
    message for it halves what every participant is sent. Edits and deletions may turn an
    update into something else, so they always count.
    """
    if event["type"] == EventType.TIMELINE_ADDED:
        return event["data"]["entry"]["kind"] == "update"
    if event["type"] == EventType.POSTMORTEM_STATUS_CHANGED:
        return True  # publishing ends the post-mortem's countdown
    return event["type"].startswith(TIMER_EVENT_PREFIXES)


def broadcast_events(incident_id: int, events: list[dict[str, Any]]) -> None:
    for event in events:
        socketio.emit("incident.event", event, to=room_name(incident_id))
    if any(moves_deadlines(event) for event in events):
        broadcast_timers(incident_id)


def broadcast_timers(incident_id: int) -> None:
    """Deadlines move when roles, severity, status or updates change: resend them."""
    from ..extensions import db
    from ..models import Incident
    from ..services.timers import timers_state

    incident = db.session.get(Incident, incident_id)
    if incident is not None:
        socketio.emit(
            "timers",
            {"incident_id": incident_id, **timers_state(incident)},
            to=room_name(incident_id),
        )
