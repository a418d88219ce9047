"""The incident and its parts as they are sent: the incident, entries and their revisions,
role assignments, checklist items."""

from __future__ import annotations

from typing import Any, TypedDict

from ..clock import iso
from ..models import ChecklistItem, Incident, RoleAssignment, TimelineEntry, TimelineRevision
from ..policy import STATUSES
from .people import UserRef, user_ref


class AllClearRequest(TypedDict):
    """The IC's all-clear of a SEV1/SEV2, waiting for a second participant."""

    by: UserRef | None
    at: str | None
    postmortem_owner: UserRef | None


class IncidentView(TypedDict):
    id: int
    number: int
    reference: str
    title: str
    summary: str
    severity: str | None
    status: str
    private: bool
    declared_by: UserRef | None
    declared_at: str
    severity_set_at: str | None
    status_reached: dict[str, str | None]
    escalation_prompted_at: str | None
    postmortem_due_at: str | None
    postmortem_owner: UserRef | None
    bridge_url: str | None
    drill: bool
    drill_speed: int
    all_clear_request: AllClearRequest | None
    seq: int


class EntryFields(TypedDict):
    """The editable fields of a timeline entry, as its revisions store them."""

    kind: str
    text: str
    occurred_at: str
    details: dict[str, Any]


class EntryView(EntryFields):
    id: str
    recorded_at: str
    author: UserRef | None
    version: int
    deleted: bool
    shareable: bool


class RevisionView(TypedDict):
    version: int
    action: str
    actor: UserRef | None
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class RoleAssignmentView(TypedDict):
    role: str
    user: UserRef | None
    how: str
    started_at: str
    ended_at: str | None


class ChecklistItemView(TypedDict):
    id: int
    position: int
    text: str
    template_key: str | None
    done: bool
    done_by: UserRef | None
    done_at: str | None
    custom: bool


def all_clear_request(incident: Incident) -> AllClearRequest | None:
    if incident.all_clear_asked_by is None:
        return None
    return {
        "by": user_ref(incident.all_clear_asked_by),
        "at": iso(incident.all_clear_asked_at),
        "postmortem_owner": user_ref(incident.all_clear_owner),
    }


def incident_dict(incident: Incident) -> IncidentView:
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
        "bridge_url": incident.bridge_url,
        "drill": incident.drill,
        "drill_speed": incident.drill_speed,
        "all_clear_request": all_clear_request(incident),
        "seq": incident.last_seq,
    }


def entry_fields(entry: TimelineEntry) -> EntryFields:
    """The editable fields, as stored in revisions."""
    return {
        "kind": entry.kind,
        "text": entry.text,
        "occurred_at": iso(entry.occurred_at),
        "details": entry.details or {},
    }


def entry_dict(entry: TimelineEntry) -> EntryView:
    return entry_wire(entry, user_ref(entry.author))


def entry_wire(entry: Any, author: UserRef | None) -> EntryView:
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


def revision_dict(revision: TimelineRevision) -> RevisionView:
    return {
        "version": revision.version,
        "action": revision.action,
        "actor": user_ref(revision.actor),
        "at": iso(revision.at),
        "before": revision.before,
        "after": revision.after,
    }


def role_dict(assignment: RoleAssignment) -> RoleAssignmentView:
    return {
        "role": assignment.role,
        "user": user_ref(assignment.user),
        "how": assignment.how,
        "started_at": iso(assignment.started_at),
        "ended_at": iso(assignment.ended_at),
    }


def checklist_item_dict(item: ChecklistItem) -> ChecklistItemView:
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
