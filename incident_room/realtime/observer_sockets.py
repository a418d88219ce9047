"""Which sockets of this worker are observers (connected with an observer link).

A socket's events are always handled by the worker holding it, so a map per app (in
`app.extensions`) is enough to refuse an observer's every write; closing sockets on other
workers goes through the database (services/observers/) and the message queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

OBSERVER_SOCKETS = "incident_room.observer_sockets"


@dataclass(frozen=True)
class ObserverSocket:
    incident_id: int
    link_id: str


def _observers() -> dict[str, ObserverSocket]:
    return current_app.extensions.setdefault(OBSERVER_SOCKETS, {})


def register(sid: str, observer: ObserverSocket) -> None:
    _observers()[sid] = observer


def forget(sid: str) -> bool:
    """Forget `sid`; whether it was an observer."""
    return _observers().pop(sid, None) is not None


def observer_of(sid: str) -> ObserverSocket | None:
    return _observers().get(sid)


def is_observer(sid: str) -> bool:
    return sid in _observers()
