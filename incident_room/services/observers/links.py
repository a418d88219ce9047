"""Observer links: made by the IC, signed, expiring, revocable, checked on every use.

The IC makes a link; its token is the link's id signed with SECRET_KEY, and the row holds
the expiry and the revocation, so both are checked on every use and a revoked link dies at
once. The link's address is shown once, to its maker; the list shows the IC every link and
anyone else only the ones they made, never an address. Someone who loses access to the
incident (removed from a private one, or disabled) loses the links they made with it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select, func, select

from ...clock import now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Incident, ObserverConnection, ObserverLink, User
from ...unit_of_work import EventType, record_event, run_change
from ...wire.observers import ended_reason, link_dict
from ..roles import is_commander
from ..rows import row_in

TOKEN_SALT = "observer-link"
EXPIRY_CHOICES = {
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "24h": timedelta(hours=24),
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def link_token(link_id: str) -> str:
    return _serializer().dumps(link_id)


ENDED_MESSAGES = {"revoked": "This link was revoked.", "expired": "This link has expired."}


def live_link(link_id: Any) -> ObserverLink:
    """The link with this id if it may still be used: `forbidden` if there is no such
    link, `gone` (with the reason) if it was revoked or has expired."""
    link = db.session.get(ObserverLink, link_id) if isinstance(link_id, str) else None
    if link is None:
        raise DomainError("forbidden", "This observer link is not valid.")
    db.session.refresh(link)
    if (reason := ended_reason(link, now())) is not None:
        raise DomainError("gone", ENDED_MESSAGES[reason], reason=reason)
    return link


def link_for_token(token: Any) -> ObserverLink:
    """The live link a token names; a forged or altered token is `forbidden`."""
    try:
        link_id = _serializer().loads(token) if isinstance(token, str) else None
    except BadData:
        link_id = None
    return live_link(link_id)


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
    record_event(incident, EventType.OBSERVER_LINK_CREATED, actor, {"link": link_dict(link)})
    return {"link": link_dict(link)}


def revoke_link(incident: Incident, actor: User, link_id: str) -> dict[str, Any]:
    """The IC or the link's creator. Connected observers are closed once this commits."""
    link = row_in(incident.id, ObserverLink, link_id, "observer link", "link_id")
    if not (is_commander(incident, actor) or link.created_by_id == actor.id):
        raise DomainError("forbidden", "Only the Incident Commander or its creator revokes it.")
    if link.revoked_at is not None:
        return {"link": link_dict(link), "unchanged": True}
    return {"link": _revoke(incident, link, actor)}


def _revoke(incident: Incident, link: ObserverLink, actor: User | None) -> dict[str, Any]:
    link.revoked_at = now()
    link.revoked_by_id = actor.id if actor else None
    link.revoked_by = actor
    data = link_dict(link)
    record_event(incident, EventType.OBSERVER_LINK_REVOKED, actor, {"link": data})
    return data


def _live_links_made_by(maker_id: int) -> Select:
    return select(ObserverLink).where(
        ObserverLink.created_by_id == maker_id,
        ObserverLink.revoked_at.is_(None),
        ObserverLink.expires_at > now(),
    )


def revoke_links_made_by(incident: Incident, maker: User, actor: User | None) -> int:
    """Inside the change that took `maker`'s access away: the live links they made for this
    incident end with it (their observers are closed once it commits)."""
    query = _live_links_made_by(maker.id).where(ObserverLink.incident_id == incident.id)
    links = list(db.session.scalars(query))
    for link in links:
        _revoke(incident, link, actor)
    return len(links)


def revoke_everywhere(maker: User) -> int:
    """A disabled account's live links, in every incident: one change per incident."""
    query = _live_links_made_by(maker.id).with_only_columns(ObserverLink.incident_id).distinct()
    incident_ids = list(db.session.scalars(query))
    return sum(
        run_change(
            incident_id, None, lambda inc: {"revoked": revoke_links_made_by(inc, maker, None)}
        )["revoked"]
        for incident_id in incident_ids
    )


def links_of(incident: Incident, viewer: User | None = None) -> list[ObserverLink]:
    """The incident's links, newest first: for a `viewer` who is not the IC only the ones
    they made. Without a viewer (the room's summary of who is watching, which carries no
    address) all of them."""
    query = select(ObserverLink).where(ObserverLink.incident_id == incident.id)
    if viewer is not None and not is_commander(incident, viewer):
        query = query.where(ObserverLink.created_by_id == viewer.id)
    return list(db.session.scalars(query.order_by(ObserverLink.created_at.desc())))


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
