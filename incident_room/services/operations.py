"""The unit of work every change to an incident goes through.

lock the incident -> check access -> skip a repeated op_id -> apply the change and append
its event(s) with the next seq -> commit -> publish. Nothing is broadcast before it is
durable, and an op_id already applied returns the ack it got the first time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select, update

from ..clock import iso, now
from ..errors import DomainError, not_found
from ..extensions import db
from ..models import AppliedOperation, Incident, IncidentEvent, User
from .access import ensure_visible
from .appended_rows import append_instance, append_row
from .chain import link
from .locks import incident_lock
from .publish import publish
from .serialize import event_dict

PENDING_EVENTS = "incident_room.pending_events"

Change = Callable[[Incident], dict[str, Any] | None]


def record_event(
    incident: Incident, event_type: str, actor: User | None, data: dict[str, Any]
) -> IncidentEvent:
    """Append one event with the next seq; it is published once the transaction commits."""
    incident.last_seq += 1
    event = IncidentEvent(
        incident_id=incident.id,
        seq=incident.last_seq,
        type=event_type,
        actor_id=actor.id if actor else None,
        at=now(),
        data=data,
    )
    link(incident, event)
    append_instance(event)
    db.session.info.setdefault(PENDING_EVENTS, []).append(event_dict(event, actor))
    return event


def _take_pending_events() -> list[dict[str, Any]]:
    return db.session.info.pop(PENDING_EVENTS, [])


def commit_and_publish(incident_id: int) -> None:
    """Commit, then - only then - hand the transaction's events to the room."""
    events = _take_pending_events()
    db.session.commit()
    if events:
        publish(incident_id, events)


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
    with incident_lock(incident_id):
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
            commit_and_publish(incident_id)
        except BaseException:
            _take_pending_events()
            db.session.rollback()
            raise
        return ack
