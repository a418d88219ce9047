"""Who may see and act: incidents, and the instance's and teams' settings.

Incidents are open to every account; a private one admits its declarer, the people
invited into it and current role holders, and to everyone else it does not exist.
Instance-wide settings are for admins; a team's schedules and policies for its admins
(and the instance's).
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from ..errors import DomainError, not_found
from ..extensions import db
from ..models import Incident, IncidentMember, RoleAssignment, TeamMember, User


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


def require_admin(user: User) -> None:
    """Instance-wide settings (webhooks, templates, teams, the status page) are for admins."""
    if not user.is_admin:
        raise DomainError("forbidden", "Only an admin changes this setting.")


def is_team_admin(user: User, team_id: int | None) -> bool:
    if user.is_admin:
        return True
    if team_id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    TeamMember.team_id == team_id,
                    TeamMember.user_id == user.id,
                    TeamMember.is_admin.is_(True),
                )
            )
        )
    )


def require_team_admin(user: User, team_id: int | None) -> None:
    """A team's schedules and escalation policies are for its admins (and the instance's)."""
    if not is_team_admin(user, team_id):
        raise DomainError("forbidden", "Only an admin of this team changes it.")
