"""The live room over Socket.IO: handlers, presence, broadcast (background jobs: jobs.py)."""

from __future__ import annotations

from flask import Flask

from ..observability.metrics import metrics
from ..services.status_page.live import add_listener
from ..unit_of_work.publish import add_publisher
from ..wire.events import Event
from .broadcast import broadcast_events


def register_handlers() -> None:
    from . import (  # noqa: F401  (registers the events on import)
        handlers,
        observer_events,
        paging_events,
        postmortem_events,
        runbook_events,
        status_page_events,
        tracker_events,
        update_events,
    )


def install(app: Flask) -> None:
    """Plug this app's committed events into the room, the observer links and the metrics."""
    from . import observer_events, paging_events, status_page_events

    add_publisher(app, broadcast_events)
    add_publisher(app, observer_events.send_to_observers)
    add_publisher(app, paging_events.send_to_pagers)
    add_publisher(app, status_page_events.send_to_watchers)
    add_listener(app, status_page_events.tell_watchers)
    add_publisher(app, count_published_events)


def count_published_events(_incident_id: int, events: list[Event]) -> None:
    metrics.events_published(len(events))
