"""The live room over Socket.IO: handlers, presence, broadcast and background jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask

from ..extensions import db, socketio
from ..observability.metrics import metrics
from ..services.publish import add_publisher
from .broadcast import broadcast_events

log = logging.getLogger("incident_room.jobs")


def register_handlers() -> None:
    from . import (  # noqa: F401  (registers the events on import)
        handlers,
        observer_events,
        postmortem_events,
        update_events,
    )

    add_publisher(broadcast_events)
    add_publisher(observer_events.send_to_observers)
    add_publisher(count_published_events)


def count_published_events(_incident_id: int, events: list[dict[str, Any]]) -> None:
    metrics.events_published(len(events))


def _keep_room_state() -> None:
    from ..services.timers import apply_all_due_rules
    from . import observer_events, presence

    presence.beat()
    for incident_id in presence.sweep_dead_workers():
        presence.broadcast(incident_id)
    apply_all_due_rules()
    observer_events.close_ended_links()


def _send_webhooks() -> None:
    from ..services.webhook_sender import deliver_due

    deliver_due()


def _run_forever(app: Flask, job: Callable[[], object], interval_key: str) -> None:
    interval = app.config[interval_key]
    while True:
        with app.app_context():
            try:
                job()
            except Exception:
                log.exception("background job %s failed", job.__name__)
                db.session.rollback()
            finally:
                db.session.remove()
        socketio.sleep(interval)


def start_background_jobs(app: Flask) -> None:
    """In every serving worker: heartbeat, presence sweep and the playbook timers; and the
    webhook sender, on its own loop so a slow receiver never delays the timers.

    With RUN_BACKGROUND_JOBS=0 a worker only beats its heartbeat (without it, its users
    would vanish from presence); the shared jobs are left to the workers that run them.
    """
    from . import presence

    with app.app_context():
        presence.forget_this_worker()
    if not app.config["RUN_BACKGROUND_JOBS"]:
        socketio.start_background_task(
            _run_forever, app, presence.beat, "BACKGROUND_JOB_INTERVAL_SECONDS"
        )
        return
    socketio.start_background_task(
        _run_forever, app, _keep_room_state, "BACKGROUND_JOB_INTERVAL_SECONDS"
    )
    socketio.start_background_task(
        _run_forever, app, _send_webhooks, "WEBHOOK_JOB_INTERVAL_SECONDS"
    )
