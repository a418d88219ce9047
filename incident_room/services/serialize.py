"""Plain-dict views of the models, as sent over the wire (PROTOCOL.md)."""

from __future__ import annotations

from typing import Any

from ..clock import iso
from ..models import (
    ChecklistItem,
    Incident,
    IncidentEvent,
    RoleAssignment,
    TimelineEntry,
    TimelineRevision,
    User,
)
from ..policy import STATUSES


def user_ref(user: User | None) -> dict[str, Any] | None:
    return user.to_public() if user else None


def incident_dict(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "number": incident.number,
        "reference": incident.reference,
        "title": incident.title,
        "summary": incident.summary,
        "severity": incident.severity,
        "status": incident.status,
        "private": incident.private,
        "declared_by": user_ref(incident.declared_by),
        "declared_at": iso(incident.declared_at),
        "severity_set_at": iso(incident.severity_set_at),
        "status_reached": {status: iso(incident.first_reached(status)) for status in STATUSES},
        "escalation_prompted_at": iso(incident.escalation_prompted_at),
        "postmortem_due_at": iso(incident.postmortem_due_at),
        "postmortem_owner": user_ref(incident.postmortem_owner),
        "seq": incident.last_seq,
    }


def entry_fields(entry: TimelineEntry) -> dict[str, Any]:
    """The editable fields, as stored in revisions."""
    return {
        "kind": entry.kind,
        "text": entry.text,
        "occurred_at": iso(entry.occurred_at),
        "details": entry.details or {},
    }


def entry_dict(entry: TimelineEntry) -> dict[str, Any]:
    return entry_wire(entry, user_ref(entry.author))


def entry_wire(entry: Any, author: dict[str, Any] | None) -> dict[str, Any]:
    """An entry as sent, from the model or from a row with the same column names."""
    return {
        "id": entry.id,
        **entry_fields(entry),
        "recorded_at": iso(entry.recorded_at),
        "author": author,
        "version": entry.version,
        "deleted": entry.deleted,
        "shareable": bool(entry.shareable),
    }


def revision_dict(revision: TimelineRevision) -> dict[str, Any]:
    return {
        "version": revision.version,
        "action": revision.action,
        "actor": user_ref(revision.actor),
        "at": iso(revision.at),
        "before": revision.before,
        "after": revision.after,
    }


def role_dict(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "role": assignment.role,
        "user": user_ref(assignment.user),
        "how": assignment.how,
        "started_at": iso(assignment.started_at),
        "ended_at": iso(assignment.ended_at),
    }


def checklist_item_dict(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "text": item.text,
        "template_key": item.template_key,
        "done": item.done,
        "done_by": user_ref(item.done_by),
        "done_at": iso(item.done_at),
        "custom": item.template_key is None,
    }


def event_dict(event: IncidentEvent, actor: User | None) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "incident_id": event.incident_id,
        "type": event.type,
        "actor": user_ref(actor),
        "at": iso(event.at),
        "data": event.data,
        "hash": event.hash,
    }
