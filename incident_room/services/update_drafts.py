"""Drafting the next stakeholder or status-page update from what changed since the last.

A draft is the team's plain-text template (`$placeholders`, Python's string.Template - never
Jinja, so a template cannot run code) filled with facts from the incident. The public
(status page) draft takes its facts only from fields safe to publish - severity, status,
the impact statement, shared entries - and scrubs names, hostnames, addresses and emails
out of their free text. The Communications Lead or the IC edits the draft and posts it as
an `update` entry, which restarts that audience's countdown.
"""

from __future__ import annotations

import re
from datetime import datetime
from string import Template
from typing import Any

from sqlalchemy import func, select

from ..clock import iso, now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import Incident, IncidentEvent, TimelineEntry, TimelineRevision, UpdateTemplate, User
from ..policy import (
    SEVERITY_MEANING,
    STAKEHOLDER_UPDATE_EVERY,
    STATUS_LABELS,
    STATUS_PAGE_UPDATE_EVERY,
)
from .entry_details import UPDATE_AUDIENCES
from .participants import participant_ids
from .roles import holder_of, may_communicate
from .timeline import NewEntry, add_entry, latest_update_for

AUDIENCE_LABELS = {"stakeholders": "Internal stakeholders", "status_page": "Public status page"}
CADENCE = {"stakeholders": STAKEHOLDER_UPDATE_EVERY, "status_page": STATUS_PAGE_UPDATE_EVERY}
MAX_TEMPLATE_LENGTH = 5000

# What each audience's template may use, with what it means (shown on the settings page).
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "stakeholders": {
        "reference": "INC-7",
        "title": "the incident's title",
        "severity": "SEV1..SEV4 (or Unclassified)",
        "severity_meaning": "what the severity means in the playbook",
        "status": "the current status",
        "impact": "the impact statement (the incident's summary)",
        "since": "when the last update went out (or the declaration)",
        "changes": "severity and status changes since then",
        "hypotheses": "confirmed hypotheses",
        "actions_done": "actions done since then",
        "actions_doing": "actions under way, with owner and ETA",
        "commander": "the Incident Commander",
        "next_update": "when the next update is due",
    },
    "status_page": {
        "title": "the title, scrubbed",
        "impact_level": "Major outage / Partial outage / Minor issue / Cosmetic issue",
        "status": "Investigating / Identified / Monitoring / Resolved",
        "impact": "the impact statement, scrubbed",
        "since": "when the last status-page update went out",
        "changes": "status changes since then",
        "shared": "entries the team marked shareable since then, scrubbed",
        "next_update": "when the next status-page update is due",
    },
}

DEFAULT_TEMPLATES = {
    "stakeholders": (
        "$reference: $title\n"
        "Severity: $severity ($severity_meaning). Status: $status.\n"
        "Impact: $impact\n"
        "\n"
        "Since $since:\n$changes\n"
        "\n"
        "Confirmed causes:\n$hypotheses\n"
        "\n"
        "Done:\n$actions_done\n"
        "\n"
        "Under way:\n$actions_doing\n"
        "\n"
        "Incident Commander: $commander. Next update by $next_update."
    ),
    "status_page": (
        "$status - $title\n"
        "\n"
        "$impact_level. $impact\n"
        "\n"
        "$changes\n"
        "$shared\n"
        "\n"
        "We will post the next update by $next_update."
    ),
}

PUBLIC_STATUS = {
    "declared": "Investigating",
    "investigating": "Investigating",
    "identified": "Identified",
    "mitigated": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Resolved",
    "closed": "Resolved",
}
PUBLIC_IMPACT_LEVEL = {
    "SEV1": "Major outage",
    "SEV2": "Partial outage",
    "SEV3": "Minor issue",
    "SEV4": "Cosmetic issue",
    None: "We are assessing the impact",
}
NOTHING = "- none"


# Templates ------------------------------------------------------------------------------


def _check_audience(audience: Any) -> str:
    if audience not in UPDATE_AUDIENCES:
        raise invalid("audience", f"audience is one of {', '.join(UPDATE_AUDIENCES)}.")
    return audience


def template_for(audience: str) -> str:
    row = db.session.get(UpdateTemplate, _check_audience(audience))
    return row.body if row else DEFAULT_TEMPLATES[audience]


def check_template(audience: str, body: str) -> str:
    """The template if it only uses this audience's placeholders; `invalid` otherwise."""
    if not body.strip() or len(body) > MAX_TEMPLATE_LENGTH:
        raise invalid("body", f"Write a template of up to {MAX_TEMPLATE_LENGTH} characters.")
    template = Template(body)
    if not template.is_valid():
        raise invalid("body", "A $ starts a placeholder such as $status; write $$ for a $ sign.")
    allowed = PLACEHOLDERS[audience]
    unknown = [name for name in template.get_identifiers() if name not in allowed]
    if unknown:
        raise invalid(
            "body",
            f"${unknown[0]} is not available in this template; use "
            + ", ".join(f"${name}" for name in allowed)
            + ".",
        )
    return body


def save_template(audience: str, body: str, actor: User) -> None:
    """Store the team's template for `audience`; an empty body restores the default."""
    _check_audience(audience)
    row = db.session.get(UpdateTemplate, audience)
    if not body.strip():
        if row is not None:
            db.session.delete(row)
        db.session.commit()
        return
    body = check_template(audience, body.replace("\r\n", "\n"))
    if row is None:
        row = UpdateTemplate(audience=audience)
        db.session.add(row)
    row.body = body
    row.updated_by_id = actor.id
    row.updated_at = now()
    db.session.commit()


# Facts ----------------------------------------------------------------------------------


def _clock_time(at: datetime) -> str:
    return at.strftime("%H:%M UTC")


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) if lines else NOTHING


def _last_update_at(incident: Incident, audience: str) -> datetime | None:
    latest = latest_update_for(incident.id, audience)
    return latest.recorded_at if latest else None


def _state_at(incident: Incident, since: datetime | None) -> tuple[str, str | None]:
    """(status, severity) as they stood at `since` - or at the declaration when None -
    from the incident's own events."""
    query = select(IncidentEvent).where(
        IncidentEvent.incident_id == incident.id, IncidentEvent.type.like("incident.%")
    )
    if since is None:
        query = query.order_by(IncidentEvent.seq)
    else:
        query = query.where(IncidentEvent.at <= since).order_by(IncidentEvent.seq.desc())
    event = db.session.scalar(query.limit(1))
    if event is None or "incident" not in event.data:
        return "declared", None
    return event.data["incident"]["status"], event.data["incident"]["severity"]


def _live_entries(incident: Incident, kind: str) -> list[TimelineEntry]:
    return list(
        db.session.scalars(
            select(TimelineEntry)
            .where(
                TimelineEntry.incident_id == incident.id,
                TimelineEntry.kind == kind,
                TimelineEntry.deleted.is_(False),
            )
            .order_by(TimelineEntry.occurred_at, TimelineEntry.recorded_at)
        )
    )


def _changed_since(entry: TimelineEntry, since: datetime | None) -> bool:
    if since is None:
        return True
    last = db.session.scalar(
        select(func.max(TimelineRevision.at)).where(TimelineRevision.entry_id == entry.id)
    )
    return last is not None and last > since


def _shared_since(incident: Incident, since: datetime | None) -> set[str]:
    """Entries marked shareable after `since` (marking is an event, not a revision)."""
    query = select(IncidentEvent).where(
        IncidentEvent.incident_id == incident.id, IncidentEvent.type == "timeline.shared"
    )
    if since is not None:
        query = query.where(IncidentEvent.at > since)
    return {event.data["entry"]["id"] for event in db.session.scalars(query)}


def _action_line(entry: TimelineEntry) -> str:
    details = entry.details or {}
    owner = (details.get("owner") or {}).get("display_name")
    eta = details.get("eta")
    extra = [f"owner {owner}" if owner else "no owner yet"]
    if eta:
        extra.append(f"ETA {_clock_time(datetime.fromisoformat(eta.replace('Z', '+00:00')))}")
    return f"{entry.text} ({', '.join(extra)})"


def _stakeholder_facts(incident: Incident, since: datetime | None, at: datetime) -> dict:
    status_then, severity_then = _state_at(incident, since)
    changes = []
    if severity_then != incident.severity:
        changes.append(f"Severity {severity_then or 'unclassified'} → {incident.severity}")
    if status_then != incident.status:
        changes.append(f"Status {STATUS_LABELS[status_then]} → {STATUS_LABELS[incident.status]}")
    actions = _live_entries(incident, "action")
    commander = holder_of(incident.id, "incident_commander")
    return {
        "reference": incident.reference,
        "title": incident.title,
        "severity": incident.severity or "Unclassified",
        "severity_meaning": SEVERITY_MEANING.get(incident.severity, "not yet classified"),
        "status": STATUS_LABELS[incident.status],
        "impact": incident.summary.strip() or "Not yet described.",
        "since": _clock_time(since or incident.declared_at),
        "changes": _bullets(changes),
        "hypotheses": _bullets(
            [h.text for h in _live_entries(incident, "hypothesis") if _confirmed(h)]
        ),
        "actions_done": _bullets(
            [a.text for a in actions if _status(a) == "done" and _changed_since(a, since)]
        ),
        "actions_doing": _bullets([_action_line(a) for a in actions if _status(a) == "doing"]),
        "commander": commander.display_name if commander else "not assigned",
        "next_update": _clock_time(at + CADENCE["stakeholders"]),
    }


def _status(entry: TimelineEntry) -> str | None:
    return (entry.details or {}).get("status")


def _confirmed(entry: TimelineEntry) -> bool:
    return _status(entry) == "confirmed"


def _public_facts(incident: Incident, since: datetime | None, at: datetime) -> dict:
    scrub = Scrubber.for_incident(incident)
    status_then, _ = _state_at(incident, since)
    changes = []
    if PUBLIC_STATUS[status_then] != PUBLIC_STATUS[incident.status]:
        changes.append(
            f"Status changed from {PUBLIC_STATUS[status_then]} to {PUBLIC_STATUS[incident.status]}."
        )
    recently_shared = _shared_since(incident, since)
    shared = [
        _sentence(scrub(entry.text))
        for entry in db.session.scalars(
            select(TimelineEntry)
            .where(
                TimelineEntry.incident_id == incident.id,
                TimelineEntry.shareable.is_(True),
                TimelineEntry.deleted.is_(False),
                TimelineEntry.kind != "update",
            )
            .order_by(TimelineEntry.occurred_at, TimelineEntry.recorded_at)
        )
        if entry.id in recently_shared or _changed_since(entry, since)
    ]
    return {
        "title": scrub(incident.title),
        "impact_level": PUBLIC_IMPACT_LEVEL.get(incident.severity, PUBLIC_IMPACT_LEVEL[None]),
        "status": PUBLIC_STATUS[incident.status],
        "impact": scrub(incident.summary.strip()) or "We are looking into it.",
        "since": _clock_time(since or incident.declared_at),
        "changes": " ".join(changes),
        "shared": "\n".join(shared),
        "next_update": _clock_time(at + CADENCE["status_page"]),
    }


def _sentence(text: str) -> str:
    """Scrubbing may put "the team" first: start the line with a capital again."""
    return text[:1].upper() + text[1:]


class Scrubber:
    """Takes out of free text what must not reach the public: emails, URLs, IP addresses,
    hostnames (dotted names, or hyphenated names with digits such as db-prod-3) and the
    names of the people in the incident. Crude on purpose: a person reads the draft."""

    INTERNAL = "[internal]"
    PATTERNS = (
        re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
        re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE),
        re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"),
        re.compile(r"\b(?:[0-9a-f]{0,4}:){3,7}[0-9a-f]{1,4}\b", re.IGNORECASE),
        re.compile(r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b(?::\d+)?", re.IGNORECASE),
    )
    HYPHENATED = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b", re.IGNORECASE)
    SEVERITY_WORD = re.compile(r"sev-?\d", re.IGNORECASE)

    def __init__(self, names: set[str]) -> None:
        words = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
        self.names = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
            if words
            else None
        )

    @classmethod
    def for_incident(cls, incident: Incident) -> Scrubber:
        users = db.session.scalars(select(User).where(User.id.in_(participant_ids(incident.id))))
        names: set[str] = set()
        for user in users:
            names.add(user.username)
            names.add(user.display_name)
            names.update(part for part in user.display_name.split() if part.isalpha())
        return cls(names)

    def _host_like(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if any(c.isdigit() for c in word) and not self.SEVERITY_WORD.fullmatch(word):
            return self.INTERNAL
        return word

    def __call__(self, text: str) -> str:
        for pattern in self.PATTERNS:
            text = pattern.sub(self.INTERNAL, text)
        text = self.HYPHENATED.sub(self._host_like, text)
        if self.names is not None:
            text = self.names.sub("the team", text)
        return text


# Drafting and posting -------------------------------------------------------------------


def draft_update(incident: Incident, audience: str, at: datetime | None = None) -> dict:
    """The next update for `audience`, from the team's template and what changed."""
    _check_audience(audience)
    at = at or now()
    since = _last_update_at(incident, audience)
    facts_for = _stakeholder_facts if audience == "stakeholders" else _public_facts
    facts = facts_for(incident, since, at)
    text = Template(template_for(audience)).safe_substitute(facts)
    return {
        "audience": audience,
        "text": re.sub(r"\n{3,}", "\n\n", text).strip(),
        "since": iso(since),
        "next_update_due": iso(at + CADENCE[audience]),
    }


def post_update(incident: Incident, actor: User, audience: str, text: str) -> dict[str, Any]:
    """Post the edited draft as an `update` entry (the same path as the room's
    timeline.add), restarting the audience's countdown."""
    _check_audience(audience)
    if not may_communicate(incident, actor):
        raise DomainError(
            "forbidden", "Only the Incident Commander or the Communications Lead posts updates."
        )
    new = NewEntry(kind="update", text=text, details={"audience": audience})
    return add_entry(incident, actor, new)
