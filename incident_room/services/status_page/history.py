"""A component's last days as bars: the worst state of each day, and the uptime Statuspage
would count (a major outage is downtime, a partial outage 30% of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...clock import as_utc, utc_midnight
from ...extensions import db
from ...models import StatusStateChange
from .policy import DOWNTIME_WEIGHT, HISTORY_DAYS, worst


@dataclass(frozen=True)
class Day:
    day: date
    state: str
    uptime: float  # percent


@dataclass(frozen=True)
class History:
    days: list[Day]
    uptime: float  # percent over all the days


def component_history(component_id: int, at: datetime, days: int = HISTORY_DAYS) -> History:
    """The `days` days up to and including the day of `at`, oldest first."""
    first = at.date() - timedelta(days=days - 1)
    start = utc_midnight(first)
    before = db.session.scalar(
        select(StatusStateChange.state)
        .where(StatusStateChange.component_id == component_id, StatusStateChange.at < start)
        .order_by(StatusStateChange.at.desc(), StatusStateChange.id.desc())
        .limit(1)
    )
    changes = [
        (as_utc(change_at), state)
        for change_at, state in db.session.execute(
            select(StatusStateChange.at, StatusStateChange.state)
            .where(
                StatusStateChange.component_id == component_id,
                StatusStateChange.at >= start,
                StatusStateChange.at <= at,
            )
            .order_by(StatusStateChange.at, StatusStateChange.id)
        )
    ]
    state = before or "operational"
    bars: list[Day] = []
    total = downtime = 0.0
    for offset in range(days):
        day_start = utc_midnight(first + timedelta(days=offset))
        day_end = min(day_start + timedelta(days=1), at)
        seen = [state]
        cursor, day_down = day_start, 0.0
        while changes and changes[0][0] < day_end:
            change_at, next_state = changes.pop(0)
            day_down += (change_at - cursor).total_seconds() * DOWNTIME_WEIGHT[state]
            cursor, state = change_at, next_state
            seen.append(state)
        day_down += (day_end - cursor).total_seconds() * DOWNTIME_WEIGHT[state]
        length = max((day_end - day_start).total_seconds(), 1.0)
        bars.append(Day(day_start.date(), worst(seen), 100.0 * (1 - day_down / length)))
        total += length
        downtime += day_down
    return History(bars, 100.0 * (1 - downtime / total) if total else 100.0)
