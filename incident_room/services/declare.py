"""Declaring an incident: from a form, the API, or the `@incident SEV-2: title` quick syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, Service, User
from ..policy import DRILL_SPEEDS, SEVERITIES, SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH
from ..unit_of_work import EventType, record_event, run_declaration
from ..wire.incident import entry_dict, incident_dict
from .bridge import bridge_details, open_bridge
from .catalog.services import require_service
from .checklist import checklist_state, fit_checklist_to_severity
from .paging.pages import open_page
from .roles import assign_role, roles_state
from .timeline import NewEntry, write_entry
from .webhooks import notify

QUICK_SYNTAX = re.compile(r"^\s*@incident\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
SEVERITY_PREFIX = re.compile(r"^\s*SEV[\s-]*(?P<level>[^\s:]*)\s*:(?P<title>.*)$", re.IGNORECASE)
NUMBERING_ATTEMPTS = 5


@dataclass(frozen=True)
class Declaration:
    title: str
    severity: str | None = None
    summary: str = ""
    private: bool = False
    alert_key: str | None = None
    drill: bool = False
    drill_speed: int = 1
    service: Service | None = None  # what it is about: its escalation policy is paged


def normalise_severity(value: object) -> str | None:
    """'SEV-2', 'sev2', '2' -> 'SEV2'; None or '' -> None (unclassified)."""
    if value is None or value == "":
        return None
    text = str(value).strip().upper().replace("-", "").replace(" ", "")
    text = text if text.startswith("SEV") else f"SEV{text}"
    if text not in SEVERITIES:
        raise invalid("severity", "Severity must be SEV1, SEV2, SEV3 or SEV4 (or left out).")
    return text


def validated(
    title: object,
    severity: object,
    summary: object,
    private: object,
    drill: object = False,
    drill_speed: object = 1,
    service: object = None,
) -> Declaration:
    """A declaration from a form or the API; `service` (a name) pages its escalation policy."""
    if not isinstance(title, str) or not title.strip():
        raise invalid("title", "Give the incident a title: what is broken?")
    if len(title.strip()) > TITLE_MAX_LENGTH:
        raise invalid("title", f"Titles are at most {TITLE_MAX_LENGTH} characters.")
    if summary is not None and not isinstance(summary, str):
        raise invalid("summary", "summary must be text.")
    if summary and len(summary) > SUMMARY_MAX_LENGTH:
        raise invalid("summary", f"Summaries are at most {SUMMARY_MAX_LENGTH} characters.")
    if not isinstance(private, bool):
        raise invalid("private", "private must be true or false.")
    if not isinstance(drill, bool):
        raise invalid("drill", "drill must be true or false.")
    if drill_speed not in DRILL_SPEEDS or isinstance(drill_speed, bool):
        speeds = ", ".join(f"x{speed}" for speed in DRILL_SPEEDS)
        raise invalid("drill_speed", f"A drill's clock runs at {speeds}.")
    return Declaration(
        title=" ".join(title.split()),
        severity=normalise_severity(severity),
        summary=(summary or "").strip(),
        private=private,
        drill=drill,
        drill_speed=drill_speed if drill else 1,
        service=require_service(service) if service not in (None, "") else None,
    )


def parse_quick_syntax(text: object) -> Declaration:
    """`@incident SEV-2: checkout API returning 502s` (the severity is optional)."""
    if not isinstance(text, str) or not (match := QUICK_SYNTAX.match(text)):
        raise invalid("text", "Start with @incident, e.g. '@incident SEV-2: checkout 502s'.")
    rest = match["rest"].strip()
    severity: str | None = None
    if prefixed := SEVERITY_PREFIX.match(rest):
        severity, rest = f"SEV{prefixed['level']}", prefixed["title"]
    elif rest.startswith(":"):
        rest = rest[1:]
    try:
        return validated(rest, severity, "", False)
    except DomainError as error:
        raise invalid("text", f"{error.message} (in '@incident SEV-N: title')") from None


def _next_number() -> int:
    return (db.session.scalar(select(func.max(Incident.number))) or 0) + 1


def declare_incident(declarer: User, declaration: Declaration) -> Incident:
    """Open the incident: its declarer is Incident Commander, the checklist is laid out,
    and event 1 is written. Numbers are retried if two declarations race for one."""
    for _ in range(NUMBERING_ATTEMPTS):
        try:
            return run_declaration(lambda: _open_incident(declarer, declaration))
        except IntegrityError:
            continue
    raise DomainError("conflict", "Could not number the incident; please try again.")


def _open_incident(declarer: User, declaration: Declaration) -> Incident:
    declared_at = now()
    incident = Incident(
        number=_next_number(),
        title=declaration.title,
        summary=declaration.summary,
        severity=declaration.severity,
        severity_set_at=declared_at if declaration.severity else None,
        status="declared",
        private=declaration.private,
        alert_key=declaration.alert_key,
        drill=declaration.drill,
        drill_speed=declaration.drill_speed,
        service_id=declaration.service.id if declaration.service else None,
        declared_by_id=declarer.id,
        declared_by=declarer,
        declared_at=declared_at,
        last_seq=0,
    )
    db.session.add(incident)
    db.session.flush()
    assign_role(incident, "incident_commander", declarer, declarer, "declared")
    fit_checklist_to_severity(incident)
    open_bridge(incident)
    severity = declaration.severity or "unclassified"
    entry = write_entry(
        incident,
        declarer,
        NewEntry(
            kind="status", text=f"{declarer.display_name} declared {severity}: {declaration.title}"
        ),
    )
    record_event(
        incident,
        EventType.INCIDENT_DECLARED,
        declarer,
        {
            "incident": incident_dict(incident),
            "roles": roles_state(incident),
            "checklist": checklist_state(incident.id),
            "entry": entry_dict(entry),
        },
    )
    notify(
        incident,
        "declared",
        {"declared_by": declarer.display_name, **bridge_details(incident)},
    )
    if declaration.service is not None:
        open_page(incident, declaration.service)
    return incident
