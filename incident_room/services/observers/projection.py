"""What observers see: a projection of the incident and of each committed event.

Title, severity, status, posted updates and the entries the team marked shareable - never
authors, presence or anything else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import Incident, TimelineRevision
from ...unit_of_work import EventType
from ..timeline import timeline_state

INCIDENT_FIELDS = ("reference", "title", "severity", "status")


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
    if event_type == EventType.TIMELINE_DELETED:
        return entry["kind"] == "update" or entry["shareable"]
    if event_type == EventType.TIMELINE_SHARED:
        return True
    if event_type == EventType.TIMELINE_EDITED:
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
