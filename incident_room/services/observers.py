"""Observer links: a read-only view of one incident for people outside the room.

The IC makes a link; its token is the link's id signed with SECRET_KEY, and the row holds
the expiry and the revocation, so both are checked on every use and a revoked link dies at
once. Observers see a projection of the incident - title, severity, status, posted updates
and the entries the team marked shareable - never authors, presence or anything else.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete, func, or_, select

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import (
    Incident,
    ObserverConnection,
    ObserverLink,
    TimelineRevision,
    User,
)
from .operations import record_event
from .roles import is_commander, may_communicate
from .serialize import entry_dict, user_ref
from .timeline import entry_in, timeline_state

TOKEN_SALT = "observer-link"
EXPIRY_CHOICES = {
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "24h": timedelta(hours=24),
}
INCIDENT_FIELDS = ("reference", "title", "severity", "status")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def link_token(link: ObserverLink) -> str:
    return _serializer().dumps(link.id)


def _ended_reason(link: ObserverLink, at: datetime) -> str | None:
    if link.revoked_at is not None:
        return "revoked"
    if at >= link.expires_at:
        return "expired"
    return None


ENDED_MESSAGES = {"revoked": "This link was revoked.", "expired": "This link has expired."}


def live_link(link_id: Any) -> ObserverLink:
    """The link with this id if it may still be used: `forbidden` if there is no such
    link, `gone` (with the reason) if it was revoked or has expired."""
    link = db.session.get(ObserverLink, link_id) if isinstance(link_id, str) else None
    if link is None:
        raise DomainError("forbidden", "This observer link is not valid.")
    db.session.refresh(link)
    if (reason := _ended_reason(link, now())) is not None:
        raise DomainError("gone", ENDED_MESSAGES[reason], reason=reason)
    return link


def link_for_token(token: Any) -> ObserverLink:
    """The live link a token names; a forged or altered token is `forbidden`."""
    try:
        link_id = _serializer().loads(token) if isinstance(token, str) else None
    except BadData:
        link_id = None
    return live_link(link_id)


def link_state(link: ObserverLink, at: datetime | None = None) -> str:
    return _ended_reason(link, at or now()) or "active"


def link_dict(link: ObserverLink) -> dict[str, Any]:
    """A link as the room sees it; never the token (it is built on demand for insiders)."""
    return {
        "id": link.id,
        "incident_id": link.incident_id,
        "created_by": user_ref(link.created_by),
        "created_at": iso(link.created_at),
        "expires_at": iso(link.expires_at),
        "revoked_at": iso(link.revoked_at),
        "revoked_by": user_ref(link.revoked_by),
        "state": link_state(link),
    }


def create_link(
    incident: Incident, actor: User, expires_in: str, confirm_private: bool = False
) -> dict[str, Any]:
    """IC only. A private incident is shared only when the IC confirms it explicitly."""
    if not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the Incident Commander creates observer links.")
    if expires_in not in EXPIRY_CHOICES:
        raise invalid("expires_in", f"Choose an expiry: {', '.join(EXPIRY_CHOICES)}.")
    if incident.private and not confirm_private:
        raise invalid(
            "confirm_private", "This incident is private: confirm that observers may see it."
        )
    created = now()
    link = ObserverLink(
        id=secrets.token_hex(16),
        incident_id=incident.id,
        created_by_id=actor.id,
        created_by=actor,
        created_at=created,
        expires_at=created + EXPIRY_CHOICES[expires_in],
    )
    db.session.add(link)
    db.session.flush()
    record_event(incident, "observer.link_created", actor, {"link": link_dict(link)})
    return {"link": link_dict(link)}


def _link_in(incident: Incident, link_id: str) -> ObserverLink:
    link = db.session.get(ObserverLink, link_id)
    if link is None or link.incident_id != incident.id:
        raise DomainError("not_found", "No such observer link.", field="link_id")
    return link


def revoke_link(incident: Incident, actor: User, link_id: str) -> dict[str, Any]:
    """The IC or the link's creator. Connected observers are closed once this commits."""
    link = _link_in(incident, link_id)
    if not (is_commander(incident, actor) or link.created_by_id == actor.id):
        raise DomainError("forbidden", "Only the Incident Commander or its creator revokes it.")
    if link.revoked_at is not None:
        return {"link": link_dict(link), "unchanged": True}
    link.revoked_at = now()
    link.revoked_by_id = actor.id
    link.revoked_by = actor
    record_event(incident, "observer.link_revoked", actor, {"link": link_dict(link)})
    return {"link": link_dict(link)}


def links_of(incident: Incident) -> list[ObserverLink]:
    return list(
        db.session.scalars(
            select(ObserverLink)
            .where(ObserverLink.incident_id == incident.id)
            .order_by(ObserverLink.created_at.desc())
        )
    )


def live_link_ids(incident_id: int) -> list[str]:
    """The incident's links that may be used right now (neither revoked nor expired)."""
    return list(
        db.session.scalars(
            select(ObserverLink.id).where(
                ObserverLink.incident_id == incident_id,
                ObserverLink.revoked_at.is_(None),
                ObserverLink.expires_at > now(),
            )
        )
    )


def observer_counts(incident: Incident) -> dict[str, int]:
    """Connected observers per link id."""
    rows = db.session.execute(
        select(ObserverConnection.link_id, func.count())
        .join(ObserverLink, ObserverLink.id == ObserverConnection.link_id)
        .where(ObserverLink.incident_id == incident.id)
        .group_by(ObserverConnection.link_id)
    )
    return {link_id: count for link_id, count in rows}


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
    ended = [(sid, _ended_reason(link, at) or "revoked") for sid, link in db.session.execute(query)]
    if ended:
        sids = [sid for sid, _ in ended]
        db.session.execute(delete(ObserverConnection).where(ObserverConnection.sid.in_(sids)))
        db.session.commit()
    return ended


def share_entry(incident: Incident, actor: User, entry_id: str, shareable: bool) -> dict:
    """Mark an entry shown to observers (or not): the IC's or Communications Lead's call."""
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden", "Only the Incident Commander or the Communications Lead shares entries."
        )
    entry = entry_in(incident, entry_id)
    if entry.deleted:
        raise invalid("entry_id", "This entry was deleted; restore it first.")
    if entry.shareable == shareable:
        return {"entry": entry_dict(entry), "unchanged": True}
    entry.shareable = shareable
    record_event(incident, "timeline.shared", actor, {"entry": entry_dict(entry)})
    return {"entry": entry_dict(entry)}


# The observers' projection -------------------------------------------------------------


def observer_incident(incident: dict[str, Any]) -> dict[str, Any]:
    return {name: incident[name] for name in INCIDENT_FIELDS}


def shown_to_observers(entry: dict[str, Any]) -> bool:
    """Posted updates (both audiences) and entries marked shareable, unless deleted."""
    return not entry["deleted"] and (entry["kind"] == "update" or entry["shareable"])


def observer_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """What an observer sees of an entry: no author, no internal fields."""
    return {
        "id": entry["id"],
        "kind": entry["kind"],
        "text": entry["text"],
        "occurred_at": entry["occurred_at"],
        "audience": entry["details"].get("audience") if entry["kind"] == "update" else None,
    }


def observer_view(incident: Incident) -> dict[str, Any]:
    entries = timeline_state(incident.id)
    return {
        "incident": {name: getattr(incident, name) for name in INCIDENT_FIELDS},
        "entries": [observer_entry(entry) for entry in entries if shown_to_observers(entry)],
        "seq": incident.last_seq,
    }


def _kind_before_edit(entry: dict[str, Any]) -> str | None:
    revision = db.session.scalar(
        select(TimelineRevision).filter_by(entry_id=entry["id"], version=entry["version"])
    )
    return (revision.before or {}).get("kind") if revision else None


def _was_shown(event_type: str, entry: dict[str, Any]) -> bool:
    """Whether an entry no longer shown was shown before this event (so observers drop
    it) - without telling observers anything about entries they never saw."""
    if event_type == "timeline.deleted":
        return entry["kind"] == "update" or entry["shareable"]
    if event_type == "timeline.shared":
        return True
    if event_type == "timeline.edited":
        return _kind_before_edit(entry) == "update"
    return False


def project_event(event: dict[str, Any]) -> dict[str, Any] | None:
    """The observers' version of a committed room event, or None if it is not theirs."""
    data = event["data"]
    if event["type"].startswith("incident.") and "incident" in data:
        return {
            "seq": event["seq"],
            "type": "incident",
            "incident": observer_incident(data["incident"]),
        }
    if not event["type"].startswith("timeline.") or "entry" not in data:
        return None
    entry = data["entry"]
    if shown_to_observers(entry):
        return {"seq": event["seq"], "type": "entry", "entry": observer_entry(entry)}
    if _was_shown(event["type"], entry):
        return {"seq": event["seq"], "type": "entry_removed", "entry_id": entry["id"]}
    return None
