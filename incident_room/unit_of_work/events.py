"""The kinds of event an incident's log holds (one event's shape: wire/events.py)."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """Every kind of event an incident's log holds (docs/protocol.md lists their data)."""

    INCIDENT_DECLARED = "incident.declared"
    INCIDENT_UPDATED = "incident.updated"
    INCIDENT_ALL_CLEAR = "incident.all_clear"
    INCIDENT_ALL_CLEAR_ASKED = "incident.all_clear_asked"
    INCIDENT_ALL_CLEAR_WITHDRAWN = "incident.all_clear_withdrawn"
    PAGE_OPENED = "page.opened"
    PAGE_ESCALATED = "page.escalated"
    PAGE_ACKNOWLEDGED = "page.acknowledged"
    INCIDENT_ESCALATED = "incident.escalated"
    INCIDENT_ESCALATION_PROMPTED = "incident.escalation_prompted"
    INCIDENT_SEVERITY_DEFAULTED = "incident.severity_defaulted"
    TIMELINE_ADDED = "timeline.added"
    TIMELINE_EDITED = "timeline.edited"
    TIMELINE_DELETED = "timeline.deleted"
    TIMELINE_RESTORED = "timeline.restored"
    TIMELINE_SHARED = "timeline.shared"
    ROLE_CHANGED = "role.changed"
    CHECKLIST_TOGGLED = "checklist.toggled"
    CHECKLIST_ADDED = "checklist.added"
    CHECKLIST_REORDERED = "checklist.reordered"
    RUNBOOK_ATTACHED = "runbook.attached"
    MEMBER_INVITED = "member.invited"
    MEMBER_REMOVED = "member.removed"
    PARTICIPANT_JOINED = "participant.joined"
    EVIDENCE_ATTACHED = "evidence.attached"
    OBSERVER_LINK_CREATED = "observer.link_created"
    OBSERVER_LINK_REVOKED = "observer.link_revoked"
    POSTMORTEM_REVISION_STARTED = "postmortem.revision_started"
    POSTMORTEM_SECTION_EDITED = "postmortem.section_edited"
    POSTMORTEM_STATUS_CHANGED = "postmortem.status_changed"
    POSTMORTEM_ACTION_ITEM_ADDED = "postmortem.action_item_added"
    POSTMORTEM_ACTION_ITEM_EDITED = "postmortem.action_item_edited"
    POSTMORTEM_ACTION_ITEM_DELETED = "postmortem.action_item_deleted"
    POSTMORTEM_REQUIREMENT_SET = "postmortem.requirement_set"
