"""The playbook's clocks: role deadlines, update cadences, escalation and default severity.

Deadlines are computed from stored times on every read, so they are right even when nobody
had the room open. The two rules that change the incident (default to SEV2 after 10
minutes unclassified; the SEV2-at-60-minutes escalation prompt) are applied by
`apply_due_rules`, under the incident lock and only if still due - so a background job in
every worker, or a read, may call it and the change still happens exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..clock import iso, now
from ..extensions import db
from ..models import Incident, RoleAssignment, User
from ..policy import (
    ACTIVE_STATUSES,
    DEADLINE_WARNING,
    DEFAULT_SEVERITY,
    DEFAULT_SEVERITY_AFTER,
    DEFAULT_SEVERITY_TEXT,
    ESCALATE_SEV2_AFTER,
    ESCALATION_PROMPT_TEXT,
    REQUIRED_ROLES,
    ROLE_FILL_DEADLINE,
    ROLE_LABELS,
    STAKEHOLDER_UPDATE_EVERY,
    STATUS_PAGE_UPDATE_EVERY,
    URGENT_SEVERITIES,
)
from ..unit_of_work import EventType, run_change
from ..wire.people import user_ref
from ..wire.room import Deadline, Timers
from .lifecycle import record_system_change, set_severity
from .postmortem.workspace import postmortem_pending
from .roles import current_assignments
from .timeline import latest_update_for

UPDATE_CADENCES = (
    ("stakeholder_update", "Stakeholder update", "stakeholders", STAKEHOLDER_UPDATE_EVERY),
    ("status_page_update", "Status page update", "status_page", STATUS_PAGE_UPDATE_EVERY),
)
COMMANDER, COMMUNICATIONS = "incident_commander", "communications_lead"
POSTMORTEM_OWNER = "postmortem_owner"


def on_its_clock(incident: Incident, span: timedelta) -> timedelta:
    """A playbook span as this incident counts it: a drill's clock may run faster."""
    return span / (incident.drill_speed or 1)


@dataclass(frozen=True)
class _Clocks:
    """What every deadline of one read shares: the moment, the incident's clock, who holds
    the roles that own deadlines."""

    at: datetime
    incident: Incident
    holders: dict[str, RoleAssignment]

    def deadline(self, key: str, label: str, due_at: datetime, kind: str, role: str) -> Deadline:
        """A deadline owned by `role`'s holder (by the IC while that role is unfilled)."""
        held = self.holders.get(role) or self.holders.get(COMMANDER)
        owner_role = role if role in self.holders else COMMANDER
        return self.owned(key, label, due_at, kind, owner_role, held.user if held else None)

    def owned(
        self, key: str, label: str, due_at: datetime, kind: str, role: str, owner: User | None
    ) -> Deadline:
        warn_at = due_at - on_its_clock(self.incident, DEADLINE_WARNING[kind])
        return {
            "key": key,
            "label": label,
            "due_at": iso(due_at),
            "warn_at": iso(warn_at),
            "overdue": self.at >= due_at,
            "owner_role": role,
            "owner": user_ref(owner),
        }


def _last_update_at(incident: Incident, audience: str) -> datetime:
    latest = latest_update_for(incident.id, audience)
    return latest.recorded_at if latest else incident.declared_at


def escalation_due(incident: Incident, at: datetime) -> bool:
    return (
        incident.severity == "SEV2"
        and incident.status in ACTIVE_STATUSES
        and incident.mitigated_at is None
        and at >= incident.declared_at + on_its_clock(incident, ESCALATE_SEV2_AFTER)
    )


def default_severity_due(incident: Incident, at: datetime) -> bool:
    return (
        incident.severity is None
        and incident.status in ACTIVE_STATUSES
        and at >= incident.declared_at + on_its_clock(incident, DEFAULT_SEVERITY_AFTER)
    )


def timers_state(incident: Incident, at: datetime | None = None) -> Timers:
    """Everything the room counts down to, with `server_now` for the browser's skew."""
    at = at or now()
    deadlines: list[Deadline] = []
    if incident.status in ACTIVE_STATUSES:
        deadlines = _playbook_deadlines(_Clocks(at, incident, current_assignments(incident.id)))
    elif postmortem_pending(incident):
        owner = incident.postmortem_owner
        deadlines = [
            _Clocks(at, incident, {}).owned(
                "postmortem",
                "Post-mortem due",
                incident.postmortem_due_at,
                "postmortem",
                POSTMORTEM_OWNER,
                owner,
            )
        ]
    return {
        "server_now": iso(at),
        "deadlines": deadlines,
        "escalation_prompt": escalation_due(incident, at),
        "postmortem_due_at": iso(incident.postmortem_due_at),
    }


def _playbook_deadlines(clocks: _Clocks) -> list[Deadline]:
    """While the incident is active: roles to fill, severity to set, updates to post, and
    the SEV2 escalation counting down from the declaration."""
    incident = clocks.incident
    deadlines: list[Deadline] = []
    role_due = incident.declared_at + on_its_clock(incident, ROLE_FILL_DEADLINE)
    for role in REQUIRED_ROLES.get(incident.severity, ()):
        if role not in clocks.holders:
            label = f"Assign {ROLE_LABELS[role]}"
            deadlines.append(clocks.deadline(f"role:{role}", label, role_due, "role", COMMANDER))
    if incident.severity is None:
        due = incident.declared_at + on_its_clock(incident, DEFAULT_SEVERITY_AFTER)
        deadlines.append(
            clocks.deadline("classify", "Classify severity", due, "classify", COMMANDER)
        )
    if incident.severity in URGENT_SEVERITIES:
        for key, label, audience, every in UPDATE_CADENCES:
            due = _last_update_at(incident, audience) + on_its_clock(incident, every)
            deadlines.append(clocks.deadline(key, label, due, "update", COMMUNICATIONS))
    if incident.severity == "SEV2" and incident.mitigated_at is None:
        due = incident.declared_at + on_its_clock(incident, ESCALATE_SEV2_AFTER)
        label = "SEV1 escalation unless mitigated"
        deadlines.append(clocks.deadline("escalation", label, due, "escalation", COMMANDER))
    return deadlines


def _apply_rules(incident: Incident) -> dict[str, Any]:
    at = now()
    if default_severity_due(incident, at):
        set_severity(incident, DEFAULT_SEVERITY)
        record_system_change(
            incident,
            EventType.INCIDENT_SEVERITY_DEFAULTED,
            DEFAULT_SEVERITY_TEXT,
            "status",
        )
    if escalation_due(incident, at) and incident.escalation_prompted_at is None:
        incident.escalation_prompted_at = at
        record_system_change(
            incident,
            EventType.INCIDENT_ESCALATION_PROMPTED,
            f"{ESCALATION_PROMPT_TEXT} The Incident Commander is prompted.",
            "escalation",
        )
    return {}


def rules_due(incident: Incident, at: datetime | None = None) -> bool:
    at = at or now()
    return default_severity_due(incident, at) or (
        escalation_due(incident, at) and incident.escalation_prompted_at is None
    )


def apply_due_rules(incident: Incident) -> None:
    """Apply what is due to one incident, exactly once however many callers race."""
    if rules_due(incident):
        run_change(incident.id, None, _apply_rules)


def apply_all_due_rules() -> int:
    """The background job's pass over open incidents; returns how many it changed."""
    candidates = list(
        db.session.scalars(select(Incident).where(Incident.status.in_(ACTIVE_STATUSES)))
    )
    due = [incident for incident in candidates if rules_due(incident)]
    for incident in due:
        apply_due_rules(incident)
    return len(due)
