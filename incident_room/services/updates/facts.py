"""The facts an update draft is filled with, per audience, from what changed since the last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import Incident, IncidentEvent, TimelineEntry, TimelineRevision
from ...policy import (
    PUBLIC_IMPACT_LEVEL,
    PUBLIC_STATUS,
    SEVERITY_MEANING,
    STATUS_LABELS,
    UPDATE_CADENCE,
)
from ...unit_of_work import EventType
from ..roles import holder_of
from ..timeline import latest_update_for
from .scrubber import Scrubber

NOTHING = "- none"


def _clock_time(at: datetime) -> str:
    return at.strftime("%H:%M UTC")


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) if lines else NOTHING


def last_update_at(incident: Incident, audience: str) -> datetime | None:
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
        IncidentEvent.incident_id == incident.id, IncidentEvent.type == EventType.TIMELINE_SHARED
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


@dataclass(frozen=True)
class StakeholderNews:
    """What changed since the last stakeholder update; empty means there is nothing new."""

    changes: list[str]  # severity and status
    decisions: list[str]
    hypotheses: list[str]  # changed since (any status)
    actions: list[str]  # added, moved or done since

    def __bool__(self) -> bool:
        return bool(self.changes or self.decisions or self.hypotheses or self.actions)


def stakeholder_news(incident: Incident, since: datetime | None) -> StakeholderNews:
    status_then, severity_then = _state_at(incident, since)
    changes = []
    if severity_then != incident.severity:
        changes.append(f"Severity {severity_then or 'unclassified'} → {incident.severity}")
    if status_then != incident.status:
        changes.append(f"Status {STATUS_LABELS[status_then]} → {STATUS_LABELS[incident.status]}")

    def changed(kind: str) -> list[TimelineEntry]:
        return [entry for entry in _live_entries(incident, kind) if _changed_since(entry, since)]

    return StakeholderNews(
        changes=changes,
        decisions=[_decision_line(entry) for entry in changed("decision")],
        hypotheses=[entry.text for entry in changed("hypothesis")],
        actions=[entry.text for entry in changed("action")],
    )


def _decision_line(entry: TimelineEntry) -> str:
    rationale = (entry.details or {}).get("rationale")
    return f"{entry.text} (because: {rationale})" if rationale else entry.text


def stakeholder_facts(incident: Incident, since: datetime | None, at: datetime) -> dict:
    news = stakeholder_news(incident, since)
    actions = _live_entries(incident, "action")
    hypotheses = _live_entries(incident, "hypothesis")
    commander = holder_of(incident.id, "incident_commander")
    return {
        "reference": incident.reference,
        "title": incident.title,
        "severity": incident.severity or "Unclassified",
        "severity_meaning": SEVERITY_MEANING.get(incident.severity, "not yet classified"),
        "status": STATUS_LABELS[incident.status],
        "impact": incident.summary.strip() or "Not yet described.",
        "since": _clock_time(since or incident.declared_at),
        "changes": _bullets(news.changes),
        "decisions": _bullets(news.decisions),
        "investigating": _bullets([h.text for h in hypotheses if _status(h) == "open"]),
        "hypotheses": _bullets([h.text for h in hypotheses if _confirmed(h)]),
        "actions_done": _bullets(
            [a.text for a in actions if _status(a) == "done" and _changed_since(a, since)]
        ),
        "actions_doing": _bullets([_action_line(a) for a in actions if _status(a) == "doing"]),
        "actions_next": _bullets([_action_line(a) for a in actions if _status(a) == "todo"]),
        "commander": commander.display_name if commander else "not assigned",
        "next_update": _clock_time(at + UPDATE_CADENCE["stakeholders"]),
    }


def _status(entry: TimelineEntry) -> str | None:
    return (entry.details or {}).get("status")


def _confirmed(entry: TimelineEntry) -> bool:
    return _status(entry) == "confirmed"


def public_changes(incident: Incident, since: datetime | None) -> list[str]:
    status_then, _ = _state_at(incident, since)
    if PUBLIC_STATUS[status_then] == PUBLIC_STATUS[incident.status]:
        return []
    return [
        f"Status changed from {PUBLIC_STATUS[status_then]} to {PUBLIC_STATUS[incident.status]}."
    ]


def shared_since(incident: Incident, since: datetime | None) -> list[TimelineEntry]:
    """Entries shown to the public that were shared or changed since `since`."""
    recently_shared = _shared_since(incident, since)
    return [
        entry
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


def public_facts(incident: Incident, since: datetime | None, at: datetime) -> dict:
    scrub = Scrubber.for_incident(incident)
    changes = public_changes(incident, since)
    shared = [_sentence(scrub(entry.text)) for entry in shared_since(incident, since)]
    return {
        "title": scrub(incident.title),
        "impact_level": PUBLIC_IMPACT_LEVEL.get(incident.severity, PUBLIC_IMPACT_LEVEL[None]),
        "status": PUBLIC_STATUS[incident.status],
        "impact": scrub(incident.summary.strip()) or "We are looking into it.",
        "since": _clock_time(since or incident.declared_at),
        "changes": " ".join(changes),
        "shared": "\n".join(shared),
        "next_update": _clock_time(at + UPDATE_CADENCE["status_page"]),
    }


def _sentence(text: str) -> str:
    """Scrubbing may put "the team" first: start the line with a capital again."""
    return text[:1].upper() + text[1:]
