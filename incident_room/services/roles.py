"""Incident roles: claim, hand over, take over, release - with the full history kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, RoleAssignment, User
from ..policy import REQUIRED_ROLES, ROLE_LABELS, ROLES
from ..unit_of_work import EventType, record_event
from ..wire.incident import entry_dict, role_dict
from ..wire.people import user_ref
from .chat.thread import announce
from .participants import is_participant
from .timeline import NewEntry, write_entry


def current_assignments(incident_id: int) -> dict[str, RoleAssignment]:
    rows = db.session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.incident_id == incident_id, RoleAssignment.ended_at.is_(None)
        )
    )
    return {row.role: row for row in rows}


def holder_of(incident_id: int, role: str) -> User | None:
    assignment = current_assignments(incident_id).get(role)
    return assignment.user if assignment else None


def is_commander(incident: Incident, user: User) -> bool:
    commander = holder_of(incident.id, "incident_commander")
    return commander is not None and commander.id == user.id


def may_communicate(incident: Incident, user: User) -> bool:
    """The IC and the Communications Lead speak for the incident outside the room."""
    holders = current_assignments(incident.id)
    return any(
        role in holders and holders[role].user_id == user.id
        for role in ("incident_commander", "communications_lead")
    )


def roles_state(incident: Incident) -> list[dict[str, Any]]:
    current = current_assignments(incident.id)
    required = REQUIRED_ROLES.get(incident.severity, ())
    return [
        {
            "role": role,
            "label": ROLE_LABELS[role],
            "holder": user_ref(current[role].user) if role in current else None,
            "since": iso(current[role].started_at) if role in current else None,
            "required": role in required,
        }
        for role in ROLES
    ]


def role_history(incident_id: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.incident_id == incident_id)
        .order_by(RoleAssignment.started_at, RoleAssignment.id)
    )
    return [role_dict(row) for row in rows]


def assign_role(
    incident: Incident, role: str, user: User, by: User | None, how: str
) -> RoleAssignment:
    """End the current holding of `role` (if any) and start `user`'s."""
    current = current_assignments(incident.id).get(role)
    if current is not None:
        current.ended_at = now()
        db.session.flush()
    assignment = RoleAssignment(
        incident_id=incident.id,
        role=role,
        user_id=user.id,
        user=user,
        assigned_by_id=by.id if by else None,
        how=how,
        started_at=now(),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def _check_role(role: Any) -> str:
    if role not in ROLES:
        raise invalid("role", f"role must be one of: {', '.join(ROLES)}.")
    return role


def _role_changed(incident: Incident, actor: User, text: str) -> dict[str, Any]:
    entry = write_entry(incident, actor, NewEntry(kind="role", text=text))
    announce(incident, "role_changed", {"text": text})
    state = roles_state(incident)
    record_event(
        incident, EventType.ROLE_CHANGED, actor, {"roles": state, "entry": entry_dict(entry)}
    )
    return {"roles": state}


def claim_role(
    incident: Incident, actor: User, role: str, to: User | None = None, takeover: bool = False
) -> dict[str, Any]:
    """Claim `role` for yourself, or hand it to `to`.

    A held role changes hands only through its holder, the Incident Commander, or an
    explicit takeover - so nobody loses a role by a stray click.
    """
    role = _check_role(role)
    label = ROLE_LABELS[role]
    target = to or actor
    if not is_participant(incident, target):
        raise invalid("user", f"{target.display_name} has not joined this incident.")
    holder = holder_of(incident.id, role)
    if holder is not None and holder.id == target.id:
        return {"roles": roles_state(incident), "unchanged": True}
    may_hand_over = holder is None or holder.id == actor.id or is_commander(incident, actor)
    if target.id != actor.id and not may_hand_over:
        raise DomainError(
            "forbidden",
            f"Only {holder.display_name} or the Incident Commander can hand over {label}.",
            holder=user_ref(holder),
        )
    if holder is not None and holder.id != actor.id and target.id == actor.id and not takeover:
        raise DomainError(
            "conflict",
            f"{holder.display_name} holds {label}. Take over explicitly to claim it.",
            holder=user_ref(holder),
            field="role",
        )
    if target.id != actor.id:
        how, text = "handover", f"{actor.display_name} handed {label} to {target.display_name}"
    elif holder is not None and holder.id != actor.id:
        how, text = "takeover", f"{actor.display_name} took over {label} from {holder.display_name}"
    else:
        how, text = "claim", f"{actor.display_name} is now {label}"
    assign_role(incident, role, target, actor, how)
    return _role_changed(incident, actor, text)


def release_role(incident: Incident, actor: User, role: str) -> dict[str, Any]:
    role = _check_role(role)
    current = current_assignments(incident.id).get(role)
    if current is None:
        raise invalid("role", f"Nobody holds {ROLE_LABELS[role]}.")
    if current.user_id != actor.id and not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the holder or the Incident Commander can release it.")
    current.ended_at = now()
    if current.user_id == actor.id:
        text = f"{actor.display_name} released {ROLE_LABELS[role]}"
    else:
        text = f"{actor.display_name} released {current.user.display_name} from {ROLE_LABELS[role]}"
    db.session.flush()
    return _role_changed(incident, actor, text)
