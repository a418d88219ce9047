"""Where committed events go next: the publishers each app installs (the room broadcast,
observer links, metrics). Services never import Socket.IO and stay callable from the CLI
and tests, where an app with no publishers simply commits."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from ..wire.events import Event

Publisher = Callable[[int, list[Event]], None]
PUBLISHERS = "incident_room.publishers"


def add_publisher(app: Flask, publisher: Publisher) -> None:
    publishers = app.extensions.setdefault(PUBLISHERS, [])
    if publisher not in publishers:
        publishers.append(publisher)


def publish(incident_id: int, events: list[Event]) -> None:
    for publisher in current_app.extensions.get(PUBLISHERS, ()):
        publisher(incident_id, events)
