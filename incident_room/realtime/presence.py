"""Who is in which room and what they are editing, kept in the database for every worker.

Presence is not part of the incident's record (no event, no seq): it is how the room
looks right now. Each row names the worker holding the connection; a worker that dies
stops beating, and its rows drop out of every answer and are then swept.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, select, update

from ..clock import now
from ..database import upsert
from ..extensions import db, socketio
from ..models import ObserverConnection, PresenceInterval, RoomPresence, User, WorkerHeartbeat
from ..wire.people import user_ref
from .broadcast import room_name

WORKER_ID = uuid.uuid4().hex


def _wall_clock() -> datetime:
    """Presence follows real time even when tests freeze the domain clock."""
    return datetime.now(UTC)


def _record_beat() -> None:
    """One upsert, so the first beats of a fresh worker (the job's and a join's, racing)
    cannot both try to insert its row."""
    at = _wall_clock()
    db.session.execute(
        upsert(WorkerHeartbeat, db.engine)
        .values(worker_id=WORKER_ID, beat_at=at)
        .on_conflict_do_update(index_elements=["worker_id"], set_={"beat_at": at})
    )


def beat() -> None:
    """Record that this worker is alive."""
    _record_beat()
    db.session.commit()


def _live_workers_cutoff() -> datetime:
    return _wall_clock() - timedelta(seconds=current_app.config["PRESENCE_STALE_SECONDS"])


def enter(sid: str, incident_id: int, user_id: int) -> None:
    """Put `sid` in the room, beating in the same transaction: a worker holding presence
    is known alive even before its first background beat."""
    _record_beat()
    row = db.session.get(RoomPresence, (sid, incident_id))
    if row is None:
        db.session.add(
            RoomPresence(sid=sid, incident_id=incident_id, user_id=user_id, worker_id=WORKER_ID)
        )
        db.session.add(PresenceInterval(incident_id=incident_id, user_id=user_id, sid=sid))
    db.session.commit()


def _end_intervals(*where: Any) -> None:
    """The stays matching `where` that are still open end now (the domain's clock, like
    the incident's own times they are measured against)."""
    db.session.execute(
        update(PresenceInterval)
        .where(PresenceInterval.left_at.is_(None), *where)
        .values(left_at=now())
        .execution_options(synchronize_session=False)
    )


def leave(sid: str, incident_id: int | None = None) -> list[int]:
    """Forget `sid` in one room (or all); returns the incidents whose presence changed."""
    query = select(RoomPresence).where(RoomPresence.sid == sid)
    if incident_id is not None:
        query = query.where(RoomPresence.incident_id == incident_id)
    rows = list(db.session.scalars(query))
    for row in rows:
        db.session.delete(row)
    left = sorted({row.incident_id for row in rows})
    _end_intervals(PresenceInterval.sid == sid, PresenceInterval.incident_id.in_(left))
    db.session.commit()
    return left


def disconnect_user(incident_id: int, user_id: int) -> None:
    """Close `user_id`'s connections that joined `incident_id`, on whichever worker holds
    them (the disconnect travels through the message queue): someone removed from a
    private incident must stop hearing it now, not at their next reconnect."""
    sids = db.session.scalars(
        select(RoomPresence.sid).where(
            RoomPresence.incident_id == incident_id, RoomPresence.user_id == user_id
        )
    )
    for sid in list(sids):
        socketio.server.disconnect(sid, namespace="/")


def set_editing(sid: str, incident_id: int, entry_id: str | None) -> None:
    row = db.session.get(RoomPresence, (sid, incident_id))
    if row is not None:
        row.editing_entry_id = entry_id
        db.session.commit()


def room_presence(incident_id: int) -> dict[str, Any]:
    """{incident_id, users: [...], editing: {entry_id: [users]}} across all live workers."""
    rows = db.session.execute(
        select(RoomPresence, User)
        .join(User, User.id == RoomPresence.user_id)
        .join(WorkerHeartbeat, WorkerHeartbeat.worker_id == RoomPresence.worker_id)
        .where(
            RoomPresence.incident_id == incident_id,
            WorkerHeartbeat.beat_at >= _live_workers_cutoff(),
        )
        .order_by(User.display_name)
    )
    users: dict[int, dict[str, Any]] = {}
    editing: dict[str, list[dict[str, Any]]] = {}
    for presence, user in rows:
        users[user.id] = user_ref(user)
        if presence.editing_entry_id:
            editors = editing.setdefault(presence.editing_entry_id, [])
            if user_ref(user) not in editors:
                editors.append(user_ref(user))
    return {"incident_id": incident_id, "users": list(users.values()), "editing": editing}


def broadcast(incident_id: int) -> None:
    """Send the room's presence to everyone in it, on every worker - after a short pause
    that gathers the changes made meanwhile into one message. A crowd joining at once (a
    worker restarting mid-incident: everyone reconnects) would otherwise send the whole
    list to the whole room once per person, n² messages and n presence queries."""
    pause = current_app.config["PRESENCE_COALESCE_SECONDS"]
    if pause <= 0:
        _send(incident_id)
        return
    app = current_app._get_current_object()
    with _scheduled_guard:
        scheduled = _scheduled_sends(app)
        if incident_id in scheduled:
            return
        scheduled.add(incident_id)
    socketio.start_background_task(_send_after, app, incident_id, pause)


_scheduled_guard = threading.Lock()


def _scheduled_sends(app: Flask) -> set[int]:
    """The incidents whose presence send is waiting out its pause, in this app."""
    return app.extensions.setdefault("incident_room.presence_sends", set())


def _send_after(app: Flask, incident_id: int, pause: float) -> None:
    socketio.sleep(pause)
    # Unscheduled before the read: a change committed after it schedules a send of its own.
    with _scheduled_guard:
        _scheduled_sends(app).discard(incident_id)
    with app.app_context():
        try:
            _send(incident_id)
        finally:
            db.session.remove()


def _send(incident_id: int) -> None:
    socketio.emit("presence", room_presence(incident_id), to=room_name(incident_id))


def sweep_dead_workers() -> list[int]:
    """Delete presence held by workers that stopped beating (killed or crashed); returns
    the incidents whose rooms lost someone, so their presence can be resent."""
    cutoff = _live_workers_cutoff()
    dead = select(WorkerHeartbeat.worker_id).where(WorkerHeartbeat.beat_at < cutoff)
    orphaned = RoomPresence.worker_id.in_(dead)
    incident_ids = sorted(set(db.session.scalars(select(RoomPresence.incident_id).where(orphaned))))
    _end_intervals(PresenceInterval.sid.in_(select(RoomPresence.sid).where(orphaned)))
    db.session.execute(delete(RoomPresence).where(orphaned))
    db.session.execute(delete(ObserverConnection).where(ObserverConnection.worker_id.in_(dead)))
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < cutoff))
    db.session.commit()
    return incident_ids


def forget_this_worker() -> None:
    """On a clean start or stop, this worker holds no connections."""
    _end_intervals(
        PresenceInterval.sid.in_(
            select(RoomPresence.sid).where(RoomPresence.worker_id == WORKER_ID)
        )
    )
    db.session.execute(delete(RoomPresence).where(RoomPresence.worker_id == WORKER_ID))
    db.session.execute(delete(ObserverConnection).where(ObserverConnection.worker_id == WORKER_ID))
    db.session.commit()
