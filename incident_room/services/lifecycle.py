"""Severity, status and the other incident fields; all-clear and escalation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, User
from ..policy import (
    ACTIVE_STATUSES,
    ALL_CLEAR_ITEM,
    ALL_CLEAR_NEEDS_SECOND,
    POSTMORTEM_DUE_AFTER,
    SECOND_CONFIRMATION_ITEM,
    STATUS_LABELS,
    STATUS_TRANSITIONS,
    lowers_severity,
    spoken,
)
from ..unit_of_work import EventType, record_event
from ..wire.incident import entry_dict, incident_dict
from ..wire.postmortem import requirement_view
from .bridge import bridge_details, open_bridge
from .checklist import checklist_state, fit_checklist_to_severity, tick_playbook_item
from .paging.pages import resolve_pages
from .participants import is_participant
from .postmortem.milestones import plan_milestones
from .postmortem.requirement import decide_requirement
from .postmortem.revisions import open_postmortem
from .roles import is_commander, roles_state
from .timeline import NewEntry, write_entry
from .webhooks import notify


@dataclass(frozen=True)
class IncidentChanges:
    severity: str | None = None
    status: str | None = None
    title: str | None = None
    summary: str | None = None
    reason: str | None = None  # why, when someone other than the IC lowers the severity


def mark_status(incident: Incident, status: str) -> None:
    """Move to `status`, stamping the first time it is reached (for the metrics)."""
    incident.status = status
    if status != "declared" and incident.first_reached(status) is None:
        setattr(incident, f"{status}_at", now())


def set_severity(incident: Incident, severity: str) -> None:
    old = incident.severity
    incident.severity = severity
    incident.severity_set_at = incident.severity_set_at or now()
    fit_checklist_to_severity(incident)
    open_bridge(incident)
    notify(
        incident,
        "severity_changed",
        {"from": old, "to": severity, **bridge_details(incident)},
    )


def _status_text(actor: User, old: str, new: str) -> str:
    verb = "reopened the incident" if old == "resolved" else "changed status"
    return f"{actor.display_name} {verb}: {STATUS_LABELS[old]} → {STATUS_LABELS[new]}"


def _severity_note(incident: Incident, actor: User, changes: IncidentChanges) -> str:
    """Lowering needs the IC, or a reason from anyone else; the reason is kept either way."""
    lowering = lowers_severity(incident.severity, changes.severity)
    if lowering and not changes.reason and not is_commander(incident, actor):
        raise invalid(
            "reason",
            f"Only the Incident Commander lowers {incident.severity} to {changes.severity} "
            "without a reason: say why.",
        )
    old = incident.severity or "unclassified"
    verb = "lowered" if lowering else "changed"
    why = f" (reason: {changes.reason})" if changes.reason else ""
    return f"{actor.display_name} {verb} severity: {old} → {changes.severity}{why}"


def update_incident(incident: Incident, actor: User, changes: IncidentChanges) -> dict[str, Any]:
    if changes.status == "resolved":
        return call_all_clear(incident, actor, owner=None, fields=changes)
    notes: list[str] = []
    if changes.status is not None and changes.status != incident.status:
        if changes.status not in STATUS_TRANSITIONS[incident.status]:
            raise invalid(
                "status",
                f"An incident cannot go from {STATUS_LABELS[incident.status]} to "
                f"{STATUS_LABELS[changes.status]}.",
            )
        notes.append(_status_text(actor, incident.status, changes.status))
        if incident.all_clear_asked_by is not None:
            _clear_all_clear_request(incident)
            notes.append("the all-clear waiting for confirmation lapsed")
        notify(incident, "status_changed", {"from": incident.status, "to": changes.status})
        mark_status(incident, changes.status)
    severity_changed = changes.severity is not None and changes.severity != incident.severity
    if severity_changed:
        notes.append(_severity_note(incident, actor, changes))
        set_severity(incident, changes.severity)
    if changes.title is not None:
        incident.title = changes.title
    if changes.summary is not None:
        incident.summary = changes.summary
    return _record_incident_change(incident, actor, EventType.INCIDENT_UPDATED, notes, "status")


def _record_incident_change(
    incident: Incident, actor: User | None, event_type: str, notes: list[str], kind: str
) -> dict[str, Any]:
    data: dict[str, Any] = {"incident": incident_dict(incident)}
    if notes:
        entry = write_entry(incident, actor, NewEntry(kind=kind, text="; ".join(notes)))
        data["entry"] = entry_dict(entry)
    data["roles"] = roles_state(incident)
    data["checklist"] = checklist_state(incident.id)
    record_event(incident, event_type, actor, data)
    return {"incident": data["incident"]}


def call_all_clear(
    incident: Incident,
    actor: User,
    owner: User | None,
    fields: IncidentChanges | None = None,
    override_reason: str | None = None,
) -> dict[str, Any]:
    """The IC declares recovery. A SEV1 or SEV2 waits for a second participant to confirm
    (`confirm_all_clear`) unless the IC gives `override_reason`; anything else resolves now."""
    if not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the Incident Commander can call all-clear.")
    _ensure_active(incident)
    owner = owner or actor
    if not is_participant(incident, owner):
        raise invalid("postmortem_owner", f"{owner.display_name} has not joined this incident.")
    if fields and fields.severity:
        set_severity(incident, fields.severity)
    if incident.severity in ALL_CLEAR_NEEDS_SECOND and override_reason is None:
        return _ask_for_all_clear(incident, actor, owner)
    how = f"without a second confirmation (reason: {override_reason})" if override_reason else ""
    return _resolve(incident, actor, owner, confirmed_by=None, how=how)


def _ensure_active(incident: Incident) -> None:
    if incident.status not in ACTIVE_STATUSES:
        raise invalid("status", f"The incident is already {STATUS_LABELS[incident.status]}.")


def _ask_for_all_clear(incident: Incident, actor: User, owner: User) -> dict[str, Any]:
    if incident.all_clear_asked_by is not None:
        raise invalid("status", "The all-clear is already waiting for a second confirmation.")
    incident.all_clear_asked_by = actor
    incident.all_clear_asked_at = now()
    incident.all_clear_owner = owner
    text = (
        f"{actor.display_name} called all-clear on this {incident.severity}: waiting for a "
        "second participant to confirm recovery."
    )
    return _record_incident_change(
        incident, actor, EventType.INCIDENT_ALL_CLEAR_ASKED, [text], "status"
    )


def _waiting_request(incident: Incident) -> User:
    _ensure_active(incident)
    if incident.all_clear_asked_by is None:
        raise invalid("status", "No all-clear is waiting for confirmation.")
    return incident.all_clear_asked_by


def confirm_all_clear(incident: Incident, actor: User) -> dict[str, Any]:
    """A second participant agrees the incident is over: it resolves, with both names."""
    commander = _waiting_request(incident)
    if actor.id == commander.id:
        raise DomainError(
            "forbidden", "A second participant confirms the all-clear, not the one who called it."
        )
    if not is_participant(incident, actor):
        raise DomainError("forbidden", "Join the incident to confirm its all-clear.")
    owner = incident.all_clear_owner or commander
    tick_playbook_item(incident, SECOND_CONFIRMATION_ITEM, actor)
    how = f"confirmed by {actor.display_name}"
    return _resolve(incident, commander, owner, confirmed_by=actor, how=how)


def withdraw_all_clear(incident: Incident, actor: User, reason: str | None) -> dict[str, Any]:
    """Not over yet: the IC withdraws the request, or anyone else objects with a reason."""
    commander = _waiting_request(incident)
    if reason is None and actor.id != commander.id and not is_commander(incident, actor):
        raise invalid("reason", "Say why it is not over yet: the timeline keeps your reason.")
    _clear_all_clear_request(incident)
    why = f" (reason: {reason})" if reason else ""
    text = f"{actor.display_name} withdrew the all-clear: not over yet{why}."
    return _record_incident_change(
        incident, actor, EventType.INCIDENT_ALL_CLEAR_WITHDRAWN, [text], "status"
    )


def _clear_all_clear_request(incident: Incident) -> None:
    incident.all_clear_asked_by = None
    incident.all_clear_asked_at = None
    incident.all_clear_owner = None


def _resolve(
    incident: Incident, commander: User, owner: User, confirmed_by: User | None, how: str
) -> dict[str, Any]:
    """Resolved, an all_clear entry, the IC's checklist item ticked, the post-mortem opened
    and due within POSTMORTEM_DUE_AFTER, and whether it is required decided and said."""
    _clear_all_clear_request(incident)
    resolve_pages(incident, confirmed_by or commander)
    mark_status(incident, "resolved")
    tick_playbook_item(incident, ALL_CLEAR_ITEM, commander)
    incident.postmortem_owner_id = owner.id
    incident.postmortem_owner = owner
    incident.postmortem_due_at = now() + POSTMORTEM_DUE_AFTER
    db.session.flush()
    open_postmortem(incident, commander)
    decision = requirement_view(decide_requirement(incident))
    plan_milestones(incident)
    notify(
        incident,
        "all_clear",
        {
            "postmortem_owner": owner.display_name,
            "postmortem_due_at": iso(incident.postmortem_due_at),
            "confirmed_by": confirmed_by.display_name if confirmed_by else None,
            "postmortem_required": decision["required"],
        },
    )
    called = f"{commander.display_name} called all-clear" + (f", {how}" if how else "")
    text = (
        f"{called}. Post-mortem owner: {owner.display_name}, "
        f"due within {spoken(POSTMORTEM_DUE_AFTER)}. {decision['summary']}"
    )
    actor = confirmed_by or commander
    return _record_incident_change(
        incident, actor, EventType.INCIDENT_ALL_CLEAR, [text], "all_clear"
    )


def escalate_to_sev1(incident: Incident, actor: User, reason: str) -> dict[str, Any]:
    """The IC's one action on the escalation prompt: SEV1 procedures, with the reason kept."""
    if not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the Incident Commander can escalate.")
    if incident.severity == "SEV1":
        raise invalid("severity", "The incident is already SEV1.")
    old = incident.severity or "unclassified"
    set_severity(incident, "SEV1")
    text = f"{actor.display_name} escalated {old} → SEV1: {reason}"
    return _record_incident_change(
        incident, actor, EventType.INCIDENT_ESCALATED, [text], "escalation"
    )


def record_system_change(incident: Incident, event_type: str, text: str, kind: str) -> None:
    """A change the playbook made by itself (a timer), written as the app, not a person."""
    _record_incident_change(incident, None, event_type, [text], kind)
