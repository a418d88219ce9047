"""The live room over Socket.IO: handlers, presence, broadcast and background jobs."""

from __future__ import annotations

import logging

from flask import Flask

from ..extensions import db, socketio
from ..services.publish import add_publisher
from .broadcast import broadcast_events

log = logging.getLogger("incident_room.jobs")


def register_handlers() -> None:
    from . import handlers, postmortem_events  # noqa: F401  (register the events on import)

    add_publisher(broadcast_events)


def _run_jobs_forever(app: Flask) -> None:
    from ..services.timers import apply_all_due_rules
    from . import presence

    interval = app.config["BACKGROUND_JOB_INTERVAL_SECONDS"]
    while True:
        with app.app_context():
            try:
                presence.beat()
                presence.sweep_dead_workers()
                apply_all_due_rules()
            except Exception:
                log.exception("background job pass failed")
                db.session.rollback()
            finally:
                db.session.remove()
        socketio.sleep(interval)


def start_background_jobs(app: Flask) -> None:
    """Heartbeat, presence sweep and the playbook timers, in every serving worker."""
    from . import presence

    with app.app_context():
        presence.forget_this_worker()
    socketio.start_background_task(_run_jobs_forever, app)
