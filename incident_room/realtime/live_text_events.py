"""Socket.IO events of live text (docs/protocol-live-text.md): parse, authorise, call,
reply, and relay to the document's other editors once the change is committed.

Each open document is a Socket.IO room of its own (`live:<incident>:<doc>`), so an update
goes only to the editors of that document, on every worker through the message queue.
Cursors are relayed, never stored: like presence, they mean nothing once their editor has
gone, and their editor's departure is announced (null positions) on close and disconnect.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from flask import current_app, request
from flask_socketio import join_room, leave_room, rooms

from ..errors import DomainError
from ..extensions import socketio
from ..services.live_text import editing
from ..services.live_text.policy import MAX_POSITION_BYTES, DocumentName, parse_name
from ..unit_of_work import run_change
from ..validation import require_base64
from ..wire.people import UserRef
from .acks import current_actor, require_joined, socket_event

LIVE_TEXT_LIMIT = ("LIVE_TEXT_RATE_LIMIT_EVENTS", "LIVE_TEXT_RATE_LIMIT_WINDOW_SECONDS")
ROOM_PREFIX = "live:"


def document_room(incident_id: int, name: DocumentName) -> str:
    return f"{ROOM_PREFIX}{incident_id}:{name}"


def _encoded(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _client() -> str:
    """One editor tab, named without giving away its connection's id."""
    return hashlib.sha256(request.sid.encode()).hexdigest()[:16]


def _document(payload: dict[str, Any]) -> tuple[int, DocumentName]:
    return require_joined(payload), parse_name(payload.get("doc"))


def _max_update() -> int:
    return current_app.config["LIVE_TEXT_MAX_UPDATE_BYTES"]


def _relay(
    event: str, incident_id: int, name: DocumentName, data: dict[str, Any], user: UserRef
) -> None:
    socketio.emit(
        event,
        {"incident_id": incident_id, "doc": str(name), "user": user, **data},
        to=document_room(incident_id, name),
        skip_sid=request.sid,
    )


def _announce_cursor(incident_id: int, name: DocumentName, anchor: Any, head: Any) -> None:
    cursor = {"client": _client(), "anchor": anchor, "head": head}
    _relay("live_text.cursor", incident_id, name, cursor, current_actor().to_public())


@socket_event("live_text.open", limit=LIVE_TEXT_LIMIT)
def on_open(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id, name = _document(payload)
    state_vector = require_base64(payload, "state_vector", _max_update())
    actor = current_actor()
    # Join before reading: an update committed in between arrives twice at worst, which
    # changes nothing in a CRDT, never zero times.
    room = document_room(incident_id, name)
    joined_before = room in rooms()
    join_room(room)
    try:
        opened = editing.open_document(actor, incident_id, name, state_vector)
    except BaseException:
        if not joined_before:
            leave_room(room)
        raise
    if not joined_before:
        _announce_cursor(incident_id, name, None, None)
    return {
        "doc": str(name),
        "update": _encoded(opened.update),
        "state_vector": _encoded(opened.state_vector),
        "version": opened.version,
    }


def _require_open(incident_id: int, name: DocumentName) -> None:
    if document_room(incident_id, name) not in rooms():
        raise DomainError("forbidden", "Open the document (live_text.open) first.", field="doc")


@socket_event("live_text.update", limit=LIVE_TEXT_LIMIT)
def on_update(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id, name = _document(payload)
    _require_open(incident_id, name)
    update = require_base64(payload, "update", _max_update())
    actor = current_actor()
    # Read before the change: its commit expires the actor, and reloading them for the
    # relay would cost a query a keystroke.
    user = actor.to_public()
    ack = run_change(incident_id, actor, lambda inc: editing.apply_update(inc, actor, name, update))
    _relay("live_text.update", incident_id, name, {"update": payload["update"]}, user)
    return {"seq": ack["seq"]}


def _position(payload: dict[str, Any], field: str) -> str | None:
    """A cursor's encoded relative position, checked and passed on as it came."""
    if payload.get(field) is None:
        return None
    require_base64(payload, field, MAX_POSITION_BYTES)
    return payload[field]


@socket_event("live_text.cursor", limit=LIVE_TEXT_LIMIT)
def on_cursor(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id, name = _document(payload)
    _require_open(incident_id, name)
    _announce_cursor(incident_id, name, _position(payload, "anchor"), _position(payload, "head"))
    return {}


@socket_event("live_text.close", limit=LIVE_TEXT_LIMIT)
def on_close(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id, name = _document(payload)
    actor = current_actor()
    room = document_room(incident_id, name)
    if room in rooms():
        _announce_cursor(incident_id, name, None, None)
        leave_room(room)
    ack = run_change(incident_id, actor, lambda inc: editing.close_document(inc, name))
    return {"seq": ack["seq"]}


def editor_left() -> None:
    """A connection dropped: the editors of its documents stop showing its cursor. Its
    bursts settle by themselves once idle."""
    for room in rooms():
        if room.startswith(ROOM_PREFIX):
            incident_id, _, doc = room.removeprefix(ROOM_PREFIX).partition(":")
            _announce_cursor(int(incident_id), parse_name(doc), None, None)
