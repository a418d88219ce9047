"""Where committed events go next. The realtime layer plugs the room broadcast in here,
so services never import Socket.IO and stay callable from the CLI and tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Publisher = Callable[[int, list[dict[str, Any]]], None]
_publishers: list[Publisher] = []


def add_publisher(publisher: Publisher) -> None:
    if publisher not in _publishers:
        _publishers.append(publisher)


def publish(incident_id: int, events: list[dict[str, Any]]) -> None:
    for publisher in _publishers:
        publisher(incident_id, events)
