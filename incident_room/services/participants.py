"""Who has taken part in an incident (joined its room, or was invited into it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Incident, IncidentEvent, IncidentMember, User
from ..unit_of_work import EventType, record_event
from ..wire.people import UserRef, user_ref


def participant_ids(incident_id: int) -> set[int]:
    joined = db.session.scalars(
        select(IncidentEvent.actor_id).where(
            IncidentEvent.incident_id == incident_id,
            IncidentEvent.type.in_((EventType.PARTICIPANT_JOINED, EventType.INCIDENT_DECLARED)),
        )
    )
    invited = db.session.scalars(
        select(IncidentMember.user_id).where(IncidentMember.incident_id == incident_id)
    )
    return {uid for uid in joined if uid is not None} | set(invited)


def is_participant(incident: Incident, user: User) -> bool:
    return user.id in participant_ids(incident.id)


def participants_state(incident_id: int) -> list[UserRef]:
    ids = participant_ids(incident_id)
    users = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.display_name))
    return [user_ref(user) for user in users]


def note_participant(incident: Incident, user: User) -> dict[str, Any]:
    """Record a first visit to the room, once per person: the post-mortem lists who was there."""
    if not is_participant(incident, user):
        record_event(incident, EventType.PARTICIPANT_JOINED, user, {"participant": user_ref(user)})
    return {}
