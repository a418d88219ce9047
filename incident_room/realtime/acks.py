"""Wrapping socket handlers: authentication, size and rate limits, and the ack shape.

Every ack carries `server_now`, so the browser can correct its own clock's skew when it
stamps "now" on an entry.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_socketio import rooms

from ..clock import iso, now
from ..errors import DomainError
from ..extensions import db, socketio
from ..models import User
from ..observability.socket_events import observe_ack
from ..unit_of_work import Change, run_change
from ..validation import require_int, require_mapping, require_uuid
from .broadcast import room_name
from .observer_sockets import is_observer
from .rate_limit import RateLimiter, read_wait

log = logging.getLogger("incident_room.realtime")


# The config keys of an in-process per-user limit: (events, window seconds).
EVENT_LIMIT = ("RATE_LIMIT_EVENTS", "RATE_LIMIT_WINDOW_SECONDS")


def _rate_limiter(keys: tuple[str, str]) -> RateLimiter:
    name = f"incident_room.rate_limiter.{keys[0]}"
    limiter = current_app.extensions.get(name)
    if limiter is None:
        config = current_app.config
        limiter = RateLimiter(config[keys[0]], config[keys[1]])
        current_app.extensions[name] = limiter
    return limiter


def error_ack(error: DomainError) -> dict[str, Any]:
    return {"ok": False, "error": error.to_dict(), "server_now": iso(now())}


def _check_size(payload: Any) -> None:
    limit = current_app.config["MAX_EVENT_BYTES"]
    if len(json.dumps(payload, default=str)) > limit:
        raise DomainError("too_large", f"Events are limited to {limit} bytes.")


def require_joined(payload: dict[str, Any]) -> int:
    """The incident_id of a room this connection has joined, or `forbidden`."""
    incident_id = require_int(payload, "incident_id")
    if room_name(incident_id) not in rooms():
        raise DomainError("forbidden", "Join the incident's room first.")
    return incident_id


def current_actor() -> User:
    return current_user._get_current_object()


def joined_change(payload: dict[str, Any], change: Change) -> dict[str, Any]:
    """Run a mutating event: joined room, op_id, one transaction, ack."""
    incident_id = require_joined(payload)
    op_id = require_uuid(payload, "op_id")
    return run_change(incident_id, current_actor(), change, op_id=op_id)


def too_fast(seconds: float, what: str) -> DomainError:
    return DomainError(
        "rate_limited", f"Slow down: too many {what}.", retry_after=max(1, math.ceil(seconds))
    )


def _check_rate(read: bool, limit: tuple[str, str]) -> None:
    if read:
        wait = read_wait(request.sid, f"user:{current_user.id}")
        if wait:
            raise too_fast(wait, "reads")
    elif wait := _rate_limiter(limit).wait(current_user.id):
        raise too_fast(wait, "events")


def socket_event(
    name: str, *, read: bool = False, limit: tuple[str, str] = EVENT_LIMIT
) -> Callable:
    """Register `handler(payload) -> ack dict` for event `name`, with the checks every
    event needs and every refusal turned into `{"ok": false, "error": {...}}`. `read`
    events (they change nothing) count against the read limits, the others against a
    per-user event limit (rate_limit.py): `limit` names its config keys (live text's
    keystrokes have one of their own)."""

    def register(handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable:
        def answer(payload: Any) -> dict[str, Any]:
            try:
                if is_observer(request.sid):
                    raise DomainError("forbidden", "Observer links are read-only.")
                if not current_user.is_authenticated:
                    raise DomainError("unauthenticated", "Log in again.")
                _check_size(payload)
                _check_rate(read, limit)
                ack = handler(require_mapping(payload))
                return {"ok": True, "server_now": iso(now()), **ack}
            except DomainError as error:
                db.session.rollback()
                return error_ack(error)
            except Exception:
                db.session.rollback()
                log.exception("socket event %s failed", name)
                return error_ack(DomainError("internal", "The server failed; try again."))
            finally:
                db.session.remove()

        @functools.wraps(handler)
        def wrapped(payload: Any = None) -> dict[str, Any]:
            started = time.perf_counter()
            ack = answer(payload)
            observe_ack(name, payload, ack, started)
            return ack

        socketio.on_event(name, wrapped)
        return wrapped

    return register
