"""Inviting people into a private incident, and removing them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..clock import now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, IncidentMember, User
from ..unit_of_work import EventType, record_event
from ..wire.people import user_ref
from .access import can_view
from .observers.links import revoke_links_made_by
from .roles import is_commander


def members_state(incident_id: int) -> list[dict[str, Any]]:
    users = db.session.scalars(
        select(User)
        .join(IncidentMember, IncidentMember.user_id == User.id)
        .where(IncidentMember.incident_id == incident_id)
        .order_by(User.display_name)
    )
    return [user_ref(user) for user in users]


def _may_manage(incident: Incident, actor: User) -> None:
    if not incident.private:
        raise invalid(
            "incident_id", "This incident is open to everyone; there is no one to invite."
        )
    if actor.id != incident.declared_by_id and not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the declarer or the Incident Commander can do that.")


def invite_member(incident: Incident, actor: User, user: User) -> dict[str, Any]:
    _may_manage(incident, actor)
    if db.session.get(IncidentMember, (incident.id, user.id)) is None:
        db.session.add(
            IncidentMember(
                incident_id=incident.id, user_id=user.id, invited_by_id=actor.id, invited_at=now()
            )
        )
        db.session.flush()
    data = {"member": user_ref(user), "members": members_state(incident.id)}
    record_event(incident, EventType.MEMBER_INVITED, actor, data)
    return data


def remove_member(incident: Incident, actor: User, user: User) -> dict[str, Any]:
    _may_manage(incident, actor)
    membership = db.session.get(IncidentMember, (incident.id, user.id))
    if membership is None:
        raise invalid("user", f"{user.display_name} is not a member of this incident.")
    db.session.delete(membership)
    db.session.flush()
    data = {"member": user_ref(user), "members": members_state(incident.id)}
    record_event(incident, EventType.MEMBER_REMOVED, actor, data)
    if not can_view(user, incident):
        revoke_links_made_by(incident, user, actor)
    return data
