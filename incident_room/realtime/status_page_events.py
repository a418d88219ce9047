"""The status page's live push: anonymous sockets (no account, no cookie) watch one room,
and after a change to what the page shows they are told its new version and fetch the page
for it - the cached rendering answers them, so a crowd of watchers costs one rendering per
change per worker.

Only events that may change the page are looked at (status-page moves, the incident's
own status, posted status-page updates): the room's notes never reach this code's query.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import join_room

from ..extensions import socketio
from ..services.status_page.cache import current_key
from ..services.status_page.live import changes_the_page
from ..wire.events import Event

WATCHERS = "status_page"


def wants_status_page(auth: Any) -> bool:
    return isinstance(auth, dict) and auth.get("status_page") is True


def watch_status_page() -> None:
    """An anonymous socket joins the watchers' room; it can send nothing else."""
    join_room(WATCHERS)


def send_to_watchers(incident_id: int, events: list[Event]) -> None:
    """After commit: when the events change the public page, tell its watchers."""
    if changes_the_page(incident_id, events):
        tell_watchers()


def tell_watchers() -> None:
    """The page's new version, to every watcher (the cache's key, read now)."""
    socketio.emit("status_page.changed", {"version": current_key(fresh=True)}, to=WATCHERS)
