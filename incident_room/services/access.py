"""Who may see and act in an incident.

Incidents are open to every account; a private one admits its declarer, the people
invited into it and current role holders, and to everyone else it does not exist.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from ..errors import not_found
from ..extensions import db
from ..models import Incident, IncidentMember, RoleAssignment, User


def _is_member(user_id: int, incident_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    IncidentMember.incident_id == incident_id, IncidentMember.user_id == user_id
                )
            )
        )
    )


def _holds_a_role(user_id: int, incident_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    RoleAssignment.incident_id == incident_id,
                    RoleAssignment.user_id == user_id,
                    RoleAssignment.ended_at.is_(None),
                )
            )
        )
    )


def can_view(user: User, incident: Incident) -> bool:
    if not incident.private or incident.declared_by_id == user.id:
        return True
    return _is_member(user.id, incident.id) or _holds_a_role(user.id, incident.id)


def ensure_visible(user: User, incident: Incident | None) -> Incident:
    """The incident if `user` may see it; otherwise `not_found`, as if it did not exist."""
    if incident is None or not can_view(user, incident):
        raise not_found()
    return incident


def visible_incident(user: User, incident_id: int) -> Incident:
    return ensure_visible(user, db.session.get(Incident, incident_id))


def visible_incidents(user: User) -> Select:
    """A query for the incidents `user` may see."""
    member = exists().where(
        IncidentMember.incident_id == Incident.id, IncidentMember.user_id == user.id
    )
    role_holder = exists().where(
        RoleAssignment.incident_id == Incident.id,
        RoleAssignment.user_id == user.id,
        RoleAssignment.ended_at.is_(None),
    )
    return select(Incident).where(
        or_(Incident.private.is_(False), Incident.declared_by_id == user.id, member, role_holder)
    )
