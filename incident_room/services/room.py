"""Reading an incident's room: the full state, or the events after a seq."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Incident, IncidentEvent, User
from ..wire.events import event_dict
from ..wire.evidence import evidence_dict
from ..wire.incident import incident_dict
from ..wire.observers import link_dict
from ..wire.room import EventsPage, RoomState
from .checklist import checklist_state
from .evidence import incident_evidence
from .members import members_state
from .observers.links import links_of
from .paging.pages import pages_of
from .participants import participants_state
from .roles import role_history, roles_state
from .runbooks.room import runbooks_in_room
from .timeline import timeline_state
from .timers import timers_state

MAX_EVENTS_PER_PAGE = 5000


def room_state(incident: Incident) -> RoomState:
    return {
        "incident": incident_dict(incident),
        "timeline": timeline_state(incident.id),
        "roles": roles_state(incident),
        "role_history": role_history(incident.id),
        "checklist": checklist_state(incident.id),
        "evidence": [evidence_dict(item) for item in incident_evidence(incident.id)],
        "participants": participants_state(incident.id),
        "members": members_state(incident.id) if incident.private else [],
        "observer_links": [link_dict(link) for link in links_of(incident)],
        "timers": timers_state(incident),
        "runbooks": runbooks_in_room(incident.id),
        "pages": pages_of(incident.id),
        "seq": incident.last_seq,
    }


def events_since(incident: Incident, since: int, limit: int = MAX_EVENTS_PER_PAGE) -> EventsPage:
    """The events after `since`, in seq order; `more` says another page follows."""
    rows = list(
        db.session.execute(
            select(IncidentEvent, User)
            .outerjoin(User, User.id == IncidentEvent.actor_id)
            .where(IncidentEvent.incident_id == incident.id, IncidentEvent.seq > since)
            .order_by(IncidentEvent.seq)
            .limit(limit + 1)
        )
    )
    events = [event_dict(event, actor) for event, actor in rows[:limit]]
    return {
        "events": events,
        "seq": incident.last_seq,
        "more": len(rows) > limit,
        "timers": timers_state(incident),
    }
