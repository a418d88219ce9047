"""Observers over Socket.IO: connect with a link's token, read the projection, receive
its changes live, and get closed the moment the link ends.

Observers never join the incident's room and never enter presence: they are invisible to
the team and receive only `observer.*` events. Every other event from them is refused
(acks.socket_event). Each link has a room of its own and changes are sent only to the
rooms of links live at that moment, so an ended link hears nothing more even before (or
if ever) its sockets are disconnected.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, close_room, join_room

from ..errors import DomainError
from ..extensions import db, socketio
from ..models import Incident
from ..services.observers import links as observer_links
from ..services.observers import projection, sharing
from ..unit_of_work import EventType
from ..validation import require_bool, require_uuid
from . import observer_connections, presence
from .acks import current_actor, error_ack, joined_change, socket_event, too_fast
from .observer_sockets import ObserverSocket, observer_of, register
from .rate_limit import read_wait


def link_room(link_id: str) -> str:
    return f"observer-link:{link_id}"


def wants_observer(auth: Any) -> bool:
    return isinstance(auth, dict) and "observer_token" in auth


def connect_observer(auth: dict[str, Any]) -> None:
    """Admit a socket carrying a live link's token, or refuse the connection."""
    try:
        link = observer_links.link_for_token(auth.get("observer_token"))
        presence.beat()  # a worker holding observers is known alive, so its crash is swept
        observer_connections.remember_connection(request.sid, link, presence.WORKER_ID)
        register(request.sid, ObserverSocket(link.incident_id, link.id))
        join_room(link_room(link.id))
    except DomainError as error:
        raise ConnectionRefusedError(error.message, error.to_dict()) from None
    finally:
        db.session.remove()


def disconnect_observer(sid: str) -> None:
    observer_connections.forget_connection(sid)


@socketio.on("observe.state")
def on_observe_state(*_: Any) -> dict[str, Any]:
    """The observer's whole view, for a first paint and after every reconnect."""
    try:
        observer = observer_of(request.sid)
        if observer is None:
            raise DomainError("forbidden", "Only observer links read this.")
        if wait := read_wait(request.sid, link_room(observer.link_id)):
            raise too_fast(wait, "reads")
        link = observer_links.live_link(observer.link_id)
        incident = db.session.get(Incident, link.incident_id)
        return {"ok": True, **projection.observer_view(incident)}
    except DomainError as error:
        return error_ack(error)
    finally:
        db.session.remove()


@socket_event("timeline.share")
def on_timeline_share(payload: dict[str, Any]) -> dict[str, Any]:
    entry_id = require_uuid(payload, "entry_id")
    shareable = require_bool(payload, "shareable")
    return joined_change(
        payload, lambda inc: sharing.share_entry(inc, current_actor(), entry_id, shareable)
    )


def _close(sid: str, reason: str) -> None:
    socketio.emit(f"observer.{reason}", {"message": observer_links.ENDED_MESSAGES[reason]}, to=sid)
    socketio.server.disconnect(sid, namespace="/")


def close_ended_links(link_id: str | None = None) -> int:
    """Tell observers of revoked or expired links why, and disconnect them (on whichever
    worker holds them, through the message queue). Returns how many were closed."""
    ended = observer_connections.take_ended_connections(link_id)
    for sid, reason in ended:
        _close(sid, reason)
    return len(ended)


def _revoke(link_id: str) -> None:
    """Every socket in the link's room hears it and leaves the room, on every worker;
    the ones on record are disconnected too."""
    message = {"message": observer_links.ENDED_MESSAGES["revoked"]}
    socketio.emit("observer.revoked", message, to=link_room(link_id))
    close_room(link_room(link_id), namespace="/")
    for sid, _ in observer_connections.take_ended_connections(link_id):
        socketio.server.disconnect(sid, namespace="/")


def send_to_observers(incident_id: int, events: list[dict[str, Any]]) -> None:
    """Publisher: the observers' projection of committed events, to live links only;
    a revocation closes its link."""
    projected = []
    for event in events:
        if event["type"] == EventType.OBSERVER_LINK_REVOKED:
            _revoke(event["data"]["link"]["id"])
        if (message := projection.project_event(event)) is not None:
            projected.append(message)
    if not projected:
        return
    rooms = [link_room(link_id) for link_id in observer_links.live_link_ids(incident_id)]
    for message in projected:
        if rooms:
            socketio.emit("observer.event", message, to=rooms)
