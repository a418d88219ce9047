"""Alerts from monitoring: the first alert with a key declares, later ones append to it.

An alert key stays with its incident while the incident is open; once resolved, the next
alert with that key opens a new incident (the problem came back).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..errors import invalid
from ..extensions import db
from ..models import Incident, User
from ..policy import ACTIVE_STATUSES
from ..unit_of_work import run_change
from ..unit_of_work.locks import alert_key_lock
from .catalog.services import require_service
from .declare import Declaration, declare_incident, normalise_severity, validated
from .runbooks.authoring import note_alert_condition, runbook_for_alert
from .runbooks.room import attach_runbook, attached
from .timeline import NewEntry, add_entry

# Words monitoring systems use for urgency, mapped to the playbook's severities.
ALERT_SEVERITY_WORDS = {
    "critical": "SEV1",
    "page": "SEV1",
    "error": "SEV2",
    "major": "SEV2",
    "high": "SEV2",
    "warning": "SEV3",
    "minor": "SEV3",
    "info": "SEV4",
    "low": "SEV4",
}
MAX_KEY = 200
MAX_SOURCE = 100
MAX_CONDITION = 1000


@dataclass(frozen=True)
class Alert:
    key: str
    source: str
    declaration: Declaration
    # What the alert fires on ("payments_error_rate > 5% for 5 minutes"), if it says.
    condition: str | None = None


def _short_text(body: dict[str, Any], field: str, max_length: int) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise invalid(field, f"{field} must be non-empty text.")
    if len(value.strip()) > max_length:
        raise invalid(field, f"{field} is at most {max_length} characters.")
    return value.strip()


def parse_alert(body: dict[str, Any]) -> Alert:
    """{"title", "severity"?, "source", "alert_key", "description"?, "condition"?,
    "service"?} -> Alert, or `invalid` (an unknown service too: nothing declared, nobody
    paged)."""
    key = _short_text(body, "alert_key", MAX_KEY)
    source = _short_text(body, "source", MAX_SOURCE)
    severity = body.get("severity")
    if isinstance(severity, str) and severity.strip().lower() in ALERT_SEVERITY_WORDS:
        severity = ALERT_SEVERITY_WORDS[severity.strip().lower()]
    declaration = validated(body.get("title"), normalise_severity(severity), None, False)
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        raise invalid("description", "description must be text.")
    service = require_service(body["service"]) if body.get("service") is not None else None
    condition = _short_text(body, "condition", MAX_CONDITION) if "condition" in body else None
    summary = f"Opened by an alert from {source} (key {key}). {description or ''}".strip()
    return Alert(
        key,
        source,
        Declaration(
            declaration.title,
            declaration.severity,
            summary[:5000],
            alert_key=key,
            service=service,
        ),
        condition,
    )


def _open_incident_for(key: str) -> Incident | None:
    return db.session.scalar(
        select(Incident)
        .where(Incident.alert_key == key, Incident.status.in_(ACTIVE_STATUSES))
        .order_by(Incident.id.desc())
        .limit(1)
    )


def _bring_runbook(incident: Incident, user: User, alert: Alert) -> None:
    """The alert's runbook into the room, unless it is there already, noting the condition
    the alert came with (inside the change)."""
    runbook = runbook_for_alert(alert.key)
    if runbook is None:
        return
    if alert.condition:
        note_alert_condition(runbook, alert.condition)
    if all(link.runbook_id != runbook.id for link in attached(incident.id)):
        attach_runbook(incident, user, runbook, via="alert")


def receive_alert(user: User, alert: Alert) -> tuple[Incident, bool]:
    """Declare for a new key, or append to the open incident that has it; True if declared.
    The alert's runbook comes with it into the room."""
    with alert_key_lock(alert.key):
        db.session.rollback()
        incident = _open_incident_for(alert.key)
        if incident is None:
            incident = declare_incident(user, alert.declaration)
            if runbook_for_alert(alert.key) is not None:
                run_change(incident.id, user, lambda inc: _bring_runbook(inc, user, alert))
            return incident, True
        text = f"Alert again from {alert.source}: {alert.declaration.title}"

        def append(inc: Incident) -> None:
            add_entry(inc, user, NewEntry(kind="note", text=text))
            _bring_runbook(inc, user, alert)

        run_change(incident.id, user, append)
        return incident, False
