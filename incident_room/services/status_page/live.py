"""Telling the page's watchers it changed: which committed incident events change it, and
the listeners the realtime edge installs for the changes that are no incident's (an admin's
components and maintenance) - so services stay free of Socket.IO."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, current_app

from ...extensions import db
from ...models import StatusPublicIncident

LISTENERS = "incident_room.status_page_listeners"
Listener = Callable[[], None]


def add_listener(app: Flask, listener: Listener) -> None:
    listeners = app.extensions.setdefault(LISTENERS, [])
    if listener not in listeners:
        listeners.append(listener)


def announce_change() -> None:
    """After an admin's change to the page has committed: tell whoever listens."""
    for listener in current_app.extensions.get(LISTENERS, ()):
        listener()


PAGE_EVENT_PREFIXES = ("status_page.", "incident.")


def _may_matter(event: dict[str, Any]) -> bool:
    if event["type"].startswith(PAGE_EVENT_PREFIXES):
        return True
    entry = (event.get("data") or {}).get("entry") or {}
    details = entry.get("details") or {}
    return entry.get("kind") == "update" and details.get("audience") == "status_page"


def changes_the_page(incident_id: int, events: Sequence[dict[str, Any]]) -> bool:
    """A status-page move, or an incident or status-page update event of a public incident."""
    if not any(_may_matter(event) for event in events):
        return False
    return db.session.get(StatusPublicIncident, incident_id) is not None
