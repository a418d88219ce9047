"""The figures of a period, from the event log, so they equal each post-mortem's numbers.

Times to acknowledge, mitigate and resolve are those of `services/postmortem/metrics.py`.
Medians are the middle value (the mean of the two middle ones for an even count); the 90th
percentile is the nearest rank: the value at position ceil(0.9 n) of the sorted values.
Drills are rehearsals and count nowhere.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, select

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import Incident, Postmortem, Service, User
from ...policy import (
    ACTION_ITEM_REVIEW_AFTER,
    INSIGHTS_DEFAULT_PERIOD,
    INSIGHTS_LONGEST_PERIOD,
    SEVERITIES,
)
from ..access import visible_incidents
from ..postmortem.board import current_items
from ..postmortem.metrics import incident_metrics, state_changes

MEASURES = {
    "time_to_acknowledge": "Time to acknowledge",
    "time_to_mitigate": "Time to mitigate",
    "time_to_resolve": "Time to resolve",
}
UNCLASSIFIED = "Unclassified"
LONGEST_SHOWN = 5


@dataclass(frozen=True)
class Period:
    """Whole UTC days: from `start` (inclusive) to `end` (exclusive)."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def months(self) -> list[str]:
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.last_day.year, self.last_day.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid(field, "Give a date as YYYY-MM-DD.") from None


def period_from(first: str = "", last: str = "") -> Period:
    """The days asked for (both inclusive); by default the INSIGHTS_DEFAULT_PERIOD to today."""
    today = now().date()
    last_day = _day(last, "to") if last else today
    first_day = _day(first, "from") if first else last_day - INSIGHTS_DEFAULT_PERIOD
    if first_day > last_day:
        raise invalid("from", "The period must start on or before its last day.")
    if last_day - first_day > INSIGHTS_LONGEST_PERIOD:
        raise invalid("from", f"Ask for at most {INSIGHTS_LONGEST_PERIOD.days} days at a time.")
    start = datetime.combine(first_day, datetime.min.time(), UTC)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), UTC)
    return Period(start, end)


@dataclass(frozen=True)
class IncidentFigures:
    id: int
    reference: str
    title: str
    severity: str | None
    service: str | None
    alert_key: str | None
    declared_at: datetime
    time_to_acknowledge: int | None
    time_to_mitigate: int | None
    time_to_resolve: int | None
    duration: int
    ongoing: bool
    # True/False once the post-mortem was due (published by then or not); None before.
    postmortem_on_time: bool | None
    # (done by the day-30 review, committed to) once that review is past; None before.
    action_items_by_review: tuple[int, int] | None

    @property
    def severity_label(self) -> str:
        return self.severity or UNCLASSIFIED

    @property
    def month(self) -> str:
        return f"{self.declared_at:%Y-%m}"


@dataclass(frozen=True)
class Summary:
    count: int
    median: float | None
    p90: float | None


def summarise(values: list[int]) -> Summary:
    if not values:
        return Summary(0, None, None)
    ordered = sorted(values)
    return Summary(
        len(ordered), statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]
    )


def _first_publication(incident_id: int) -> datetime | None:
    return db.session.scalar(
        select(Postmortem.published_at)
        .where(Postmortem.incident_id == incident_id, Postmortem.published_at.is_not(None))
        .order_by(Postmortem.published_at)
        .limit(1)
    )


def _on_time(incident: Incident) -> bool | None:
    due = incident.postmortem_due_at
    if due is None:
        return None
    published = _first_publication(incident.id)
    if published is not None:
        return published <= due
    return False if now() > due else None


def _items_by_review(incident: Incident) -> tuple[int, int] | None:
    """Items waived as won't do are not counted: the team decided against them."""
    if incident.resolved_at is None or now() < incident.resolved_at + ACTION_ITEM_REVIEW_AFTER:
        return None
    review = incident.resolved_at + ACTION_ITEM_REVIEW_AFTER
    query = current_items().where(Incident.id == incident.id)
    items = [item for item, _ in db.session.execute(query) if item.state != "wont_do"]
    if not items:
        return None
    done = [item for item in items if item.done_at is not None and item.done_at <= review]
    return len(done), len(items)


def incident_figures(incident: Incident, service: str | None) -> IncidentFigures:
    metrics = incident_metrics(incident, state_changes(incident.id))
    return IncidentFigures(
        id=incident.id,
        reference=incident.reference,
        title=incident.title,
        severity=incident.severity,
        service=service,
        alert_key=incident.alert_key,
        declared_at=incident.declared_at,
        time_to_acknowledge=metrics["time_to_acknowledge"],
        time_to_mitigate=metrics["time_to_mitigate"],
        time_to_resolve=metrics["time_to_resolve"],
        duration=metrics["duration"],
        ongoing=metrics["ongoing"],
        postmortem_on_time=_on_time(incident),
        action_items_by_review=_items_by_review(incident),
    )


def scoped(query: Select, team_id: int | None) -> Select:
    """Real incidents (no drills), of one team's services when `team_id` is given."""
    query = query.where(Incident.drill.is_(False))
    if team_id is not None:
        query = query.join(Service, Service.id == Incident.service_id).where(
            Service.team_id == team_id
        )
    return query


def period_incidents(viewer: User, period: Period, team_id: int | None) -> list[IncidentFigures]:
    query = scoped(visible_incidents(viewer), team_id).where(
        Incident.declared_at >= period.start, Incident.declared_at < period.end
    )
    incidents = db.session.scalars(query.order_by(Incident.declared_at)).all()
    names = dict(db.session.execute(select(Service.id, Service.name)).all())
    return [incident_figures(incident, names.get(incident.service_id)) for incident in incidents]


def severity_order(label: str) -> int:
    return SEVERITIES.index(label) if label in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class Recurrence:
    kind: str  # "service" or "alert"
    name: str
    references: list[str]


@dataclass(frozen=True)
class Report:
    period: Period
    incidents: list[IncidentFigures]

    def by_severity(self) -> list[tuple[str, int]]:
        counts = Counter(figures.severity_label for figures in self.incidents)
        return sorted(counts.items(), key=lambda item: severity_order(item[0]))

    def by_service(self) -> list[tuple[str, int]]:
        counts = Counter(figures.service or "No service" for figures in self.incidents)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def severities(self) -> list[str]:
        return [label for label, _count in self.by_severity()]

    def response_times(self) -> list[tuple[str, str, Summary]]:
        """(severity, measure, summary) for each severity seen and each measure."""
        rows = []
        for severity in self.severities():
            of_severity = [f for f in self.incidents if f.severity_label == severity]
            for measure in MEASURES:
                values = [getattr(f, measure) for f in of_severity]
                rows.append((severity, measure, summarise([v for v in values if v is not None])))
        return rows

    def monthly(self, measure: str) -> dict[str, list[float | None]]:
        """Per severity, the median of `measure` for each month of the period (None: none)."""
        by_month: dict[tuple[str, str], list[int]] = defaultdict(list)
        for figures in self.incidents:
            value = getattr(figures, measure)
            if value is not None:
                by_month[(figures.severity_label, figures.month)].append(value)
        return {
            severity: [
                summarise(by_month[(severity, month)]).median for month in self.period.months()
            ]
            for severity in self.severities()
        }

    def postmortems_on_time(self) -> tuple[int, int]:
        """(published on time, due so far)."""
        judged = [f.postmortem_on_time for f in self.incidents if f.postmortem_on_time is not None]
        return sum(judged), len(judged)

    def action_items_by_review(self) -> tuple[int, int]:
        """(done by their incident's day-30 review, items whose review is past)."""
        judged = [f.action_items_by_review for f in self.incidents if f.action_items_by_review]
        return sum(done for done, _ in judged), sum(due for _, due in judged)

    def recurring(self) -> list[Recurrence]:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for figures in self.incidents:
            if figures.service:
                groups[("service", figures.service)].append(figures.reference)
            if figures.alert_key:
                groups[("alert", figures.alert_key)].append(figures.reference)
        found = [
            Recurrence(kind, name, refs) for (kind, name), refs in groups.items() if len(refs) > 1
        ]
        return sorted(found, key=lambda recurrence: (-len(recurrence.references), recurrence.name))

    def longest(self) -> list[IncidentFigures]:
        return sorted(self.incidents, key=lambda figures: -figures.duration)[:LONGEST_SHOWN]


def report(viewer: User, period: Period, team_id: int | None = None) -> Report:
    return Report(period, period_incidents(viewer, period, team_id))
