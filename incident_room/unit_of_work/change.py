"""The unit of work every change to an incident goes through: `run_change`.

lock the incident -> check access -> skip a repeated op_id -> apply the change and append
its event(s) with the next seq -> commit -> publish. Nothing is broadcast before it is
durable, and an op_id already applied returns the ack it got the first time.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from flask import current_app
from sqlalchemy import bindparam, select, update

from ..clock import iso, now
from ..errors import DomainError, not_found
from ..extensions import db
from ..models import AppliedOperation, Incident, IncidentEvent, User
from ..services.access import ensure_visible
from ..wire.events import event_dict
from .chain import link
from .events import EventType
from .locks import incident_lock
from .pending import append_instance, append_row, pending_work, take_events
from .publish import publish

CHANGE_IN_PROGRESS = "incident_room.change_in_progress"

Change = Callable[[Incident], dict[str, Any] | None]
P = ParamSpec("P")
R = TypeVar("R")


def _in_change() -> bool:
    return bool(db.session.info.get(CHANGE_IN_PROGRESS))


@contextmanager
def _change_scope() -> Iterator[None]:
    db.session.info[CHANGE_IN_PROGRESS] = True
    try:
        yield
    finally:
        db.session.info.pop(CHANGE_IN_PROGRESS, None)


def commits_itself(function: Callable[P, R]) -> Callable[P, R]:
    """Mark a service function that opens and commits its own transaction (accounts,
    instance-wide settings, bookkeeping that is no incident's record). Calling one inside
    `run_change` would commit half a change, so that is refused."""

    @functools.wraps(function)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        if _in_change():
            raise RuntimeError(f"{function.__name__} commits by itself: not inside run_change")
        return function(*args, **kwargs)

    guarded.commits_itself = True  # type: ignore[attr-defined]
    return guarded


def record_event(
    incident: Incident, event_type: EventType, actor: User | None, data: dict[str, Any]
) -> IncidentEvent:
    """Append one event with the next seq; it is published once the transaction commits.
    Only inside `run_change` (or `run_declaration`), which commits and publishes it."""
    if not _in_change():
        raise RuntimeError("record_event runs inside run_change, which commits and publishes")
    incident.last_seq += 1
    event = IncidentEvent(
        incident_id=incident.id,
        seq=incident.last_seq,
        type=str(event_type),
        actor_id=actor.id if actor else None,
        at=now(),
        data=data,
    )
    link(incident, event)
    append_instance(event)
    pending_work().events.append(event_dict(event, actor))
    return event


def _commit_and_publish(incident_id: int, op_id: str | None = None) -> None:
    """Commit, then - only then - hand the transaction's events to the room."""
    events = take_events()
    db.session.commit()
    _crash_point(op_id)
    if events:
        publish(incident_id, events)


def _crash_point(op_id: str | None) -> None:
    """The crash tests' hook (tests/scale/test_crash.py): with CRASH_AFTER_COMMIT_OP_ID set
    to an op_id, the process dies as under kill -9 the moment that change has committed,
    before anyone hears of it and before its ack leaves. Never set in production."""
    if op_id is not None and op_id == current_app.config.get("CRASH_AFTER_COMMIT_OP_ID"):
        os.kill(os.getpid(), signal.SIGKILL)


# Built once: constructing a statement costs more than SQLite takes to run it.
_TOUCH_INCIDENT = (
    update(Incident)
    .where(Incident.id == bindparam("incident_id"))
    .values(last_seq=Incident.last_seq)
    .returning(Incident)
)
_PRIOR_RESULT = select(AppliedOperation.user_id, AppliedOperation.result).where(
    AppliedOperation.incident_id == bindparam("incident_id"),
    AppliedOperation.op_id == bindparam("op_id"),
)


def _lock_incident_row(incident_id: int) -> Incident:
    """Start the write transaction by touching the incident row, and read it back fresh.

    The no-op UPDATE is the transaction's first statement: SQLite takes its write lock
    (waiting on busy_timeout) and PostgreSQL locks the row, before anything is read; its
    RETURNING is the read.
    """
    incident = db.session.execute(
        _TOUCH_INCIDENT,
        {"incident_id": incident_id},
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).scalar_one_or_none()
    if incident is None:
        raise not_found()
    return incident


def _release_connection(actor: User | None) -> None:
    """End the session's transaction, so waiting for the incident lock holds no pooled
    connection, without expiring the actor: reloading them would be a query per change
    for a row read moments ago in this same event."""
    if actor is None or actor not in db.session:
        db.session.rollback()
        return
    db.session.expunge(actor)
    db.session.rollback()
    db.session.add(actor)


def _prior_result(incident_id: int, op_id: str, actor: User | None) -> dict[str, Any] | None:
    prior = db.session.execute(
        _PRIOR_RESULT, {"incident_id": incident_id, "op_id": op_id}
    ).one_or_none()
    if prior is None:
        return None
    if actor is not None and prior.user_id not in (None, actor.id):
        raise DomainError("invalid", "This op_id was already used by someone else.", field="op_id")
    return prior.result


def run_change(
    incident_id: int,
    actor: User | None,
    change: Change,
    op_id: str | None = None,
) -> dict[str, Any]:
    """Apply `change` to the incident as one transaction and return the ack.

    `actor` None is the app itself (timers); it skips the visibility check.
    """
    # Wait for the lock holding no database connection: a queue of writers to one room
    # (a crowd joining at once) must not drain the pool while it waits.
    _release_connection(actor)
    with incident_lock(incident_id), _change_scope():
        try:
            incident = _lock_incident_row(incident_id)
            if actor is not None:
                ensure_visible(actor, incident)
            if op_id and (prior := _prior_result(incident_id, op_id, actor)) is not None:
                db.session.rollback()
                return prior
            result = change(incident) or {}
            # Stored whole (server time included), so a retry gets exactly this ack again.
            ack = {"ok": True, "seq": incident.last_seq, **result, "server_now": iso(now())}
            if op_id:
                append_row(
                    AppliedOperation.__table__,
                    {
                        "incident_id": incident_id,
                        "op_id": op_id,
                        "user_id": actor.id if actor else None,
                        "result": ack,
                    },
                )
            _commit_and_publish(incident_id, op_id)
        except BaseException:
            db.session.rollback()
            raise
        return ack


def run_declaration(create: Callable[[], Incident]) -> Incident:
    """Commit a new incident and publish its first events: the unit of work for the one
    change that has no incident to lock yet.

    `create` adds the incident (flushed, so it has an id) and records its events. Nothing
    can race for a row that does not exist before the commit, so there is no lock and no
    access check; the number is unique in the schema, and a declaration that lost the race
    for one fails its commit (IntegrityError) and may simply be retried. There is no op_id:
    declarations come from forms and the API, which are not retried by a client library.
    """
    db.session.rollback()
    with _change_scope():
        try:
            incident = create()
            _commit_and_publish(incident.id)
        except BaseException:
            db.session.rollback()
            raise
    return incident
