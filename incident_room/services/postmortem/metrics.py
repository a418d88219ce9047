"""The response's numbers, replayed from the event log.

Every event that changed the incident carries the incident as it was after the change,
so replaying the log in seq order gives each status and severity with when it began and
who changed it. From that:

- acknowledged: the first move out of `declared` (someone took the incident on);
- mitigated: the first time it reached `mitigated`; an incident that went straight to
  resolved has no mitigation time ("not recorded"): it is never inferred from the all-clear;
- resolved: the all-clear that ended the response (the last one, if it was reopened);
- impact started: the earliest timeline entry, when the scribe back-dated one before the
  declaration - the gap to the declaration is the time to detect;
- time in each status and severity: over the response, from declaration to resolution
  (or to now, while it is still open).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import select

from ...clock import iso, now
from ...extensions import db
from ...models import Incident, IncidentEvent, TimelineEntry, User
from ...policy import ACTIVE_STATUSES, STATUS_LABELS, STATUSES
from ...wire.people import user_ref


@dataclass(frozen=True)
class StateChange:
    at: datetime
    status: str
    severity: str | None
    actor: dict[str, Any] | None


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    value: str | None

    @property
    def seconds(self) -> int:
        return round((self.end - self.start).total_seconds())


def state_changes(incident_id: int) -> list[StateChange]:
    """Each change of status or severity, in order, from the event log."""
    rows = db.session.execute(
        select(IncidentEvent, User)
        .outerjoin(User, User.id == IncidentEvent.actor_id)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.seq)
    )
    changes: list[StateChange] = []
    for event, actor in rows:
        snapshot = event.data.get("incident")
        if not snapshot:
            continue
        status, severity = snapshot["status"], snapshot["severity"]
        if changes and (changes[-1].status, changes[-1].severity) == (status, severity):
            continue
        changes.append(StateChange(event.at, status, severity, user_ref(actor)))
    return changes


def response_end(changes: list[StateChange]) -> datetime | None:
    """When the response ended: the all-clear after the last active status, if any."""
    if not changes or changes[-1].status in ACTIVE_STATUSES:
        return None
    ended = None
    for earlier, later in pairwise(changes):
        if earlier.status in ACTIVE_STATUSES and later.status not in ACTIVE_STATUSES:
            ended = later.at
    return ended


def spans(changes: list[StateChange], field: str, end: datetime) -> list[Span]:
    """Consecutive runs of one field's value (`status` or `severity`) until `end`."""
    result: list[Span] = []
    for index, change in enumerate(changes):
        if change.at >= end:
            break
        until = changes[index + 1].at if index + 1 < len(changes) else end
        value = getattr(change, field)
        if result and result[-1].value == value:
            result[-1] = Span(result[-1].start, min(until, end), value)
        else:
            result.append(Span(change.at, min(until, end), value))
    return result


def field_history(changes: list[StateChange], field: str) -> list[dict[str, Any]]:
    """Every change of one field: when, from, to, and who."""
    history: list[dict[str, Any]] = []
    previous: str | None = None
    for change in changes:
        value = getattr(change, field)
        if history and value == previous:
            continue
        history.append({"at": iso(change.at), "from": previous, "to": value, "actor": change.actor})
        previous = value
    return history


def _first_at(changes: list[StateChange], statuses: tuple[str, ...]) -> datetime | None:
    return next((change.at for change in changes if change.status in statuses), None)


def _seconds_between(start: datetime | None, end: datetime | None) -> int | None:
    return round((end - start).total_seconds()) if start and end else None


def _totals(span_list: list[Span]) -> dict[str | None, int]:
    totals: dict[str | None, int] = defaultdict(int)
    for span in span_list:
        totals[span.value] += span.seconds
    return totals


def impact_start(incident: Incident) -> datetime | None:
    earliest = db.session.scalar(
        select(TimelineEntry.occurred_at)
        .where(TimelineEntry.incident_id == incident.id, TimelineEntry.deleted.is_(False))
        .order_by(TimelineEntry.occurred_at)
        .limit(1)
    )
    return earliest if earliest and earliest < incident.declared_at else None


def incident_metrics(incident: Incident, changes: list[StateChange]) -> dict[str, Any]:
    declared = incident.declared_at
    resolved = response_end(changes)
    end = resolved or now()
    acknowledged = _first_at(changes, STATUSES[1:])
    mitigated = _first_at(changes, ("mitigated",))
    started = impact_start(incident)
    status_totals = _totals(spans(changes, "status", end))
    severity_totals = _totals(spans(changes, "severity", end))
    return {
        "impact_started_at": iso(started),
        "declared_at": iso(declared),
        "acknowledged_at": iso(acknowledged),
        "mitigated_at": iso(mitigated),
        "resolved_at": iso(resolved),
        "time_to_detect": _seconds_between(started, declared),
        "time_to_acknowledge": _seconds_between(declared, acknowledged),
        "time_to_mitigate": _seconds_between(declared, mitigated),
        "time_to_resolve": _seconds_between(declared, resolved),
        "duration": _seconds_between(declared, end),
        "ongoing": resolved is None,
        "status_durations": [
            {"status": status, "label": STATUS_LABELS[status], "seconds": status_totals[status]}
            for status in ACTIVE_STATUSES
            if status in status_totals
        ],
        "severity_durations": [
            {"severity": severity, "label": severity or "Unclassified", "seconds": seconds}
            for severity, seconds in sorted(severity_totals.items(), key=_severity_order)
        ],
    }


def _severity_order(item: tuple[str | None, int]) -> str:
    return item[0] or "SEV9"
