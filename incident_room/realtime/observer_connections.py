"""The observer sockets connected on any worker, kept in the database, so a revocation or an
expiry closes them wherever they are, once, even if their worker died meanwhile."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from ..clock import now
from ..errors import DomainError
from ..extensions import db
from ..models import ObserverConnection, ObserverLink
from ..services.observers.links import live_link
from ..wire.observers import ended_reason


def remember_connection(sid: str, link: ObserverLink, worker_id: str) -> None:
    """Record a live observer socket, then check the link again: a revocation that
    committed meanwhile either finds this row or is seen here, never neither."""
    db.session.merge(ObserverConnection(sid=sid, link_id=link.id, worker_id=worker_id))
    db.session.commit()
    try:
        live_link(link.id)
    except DomainError:
        forget_connection(sid)
        raise


def forget_connection(sid: str) -> None:
    db.session.execute(delete(ObserverConnection).where(ObserverConnection.sid == sid))
    db.session.commit()


def take_ended_connections(link_id: str | None = None) -> list[tuple[str, str]]:
    """(sid, reason) of sockets on revoked or expired links - of one link, or all - and
    forget them, so each is closed once even if its worker died meanwhile."""
    at = now()
    query = (
        select(ObserverConnection.sid, ObserverLink)
        .join(ObserverLink, ObserverLink.id == ObserverConnection.link_id)
        .where(or_(ObserverLink.revoked_at.is_not(None), ObserverLink.expires_at <= at))
    )
    if link_id is not None:
        query = query.where(ObserverLink.id == link_id)
    ended = [(sid, ended_reason(link, at) or "revoked") for sid, link in db.session.execute(query)]
    if ended:
        sids = [sid for sid, _ in ended]
        db.session.execute(delete(ObserverConnection).where(ObserverConnection.sid.in_(sids)))
        db.session.commit()
    return ended
