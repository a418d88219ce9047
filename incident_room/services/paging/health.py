"""On-call health, week by week (Monday to Monday, UTC), for a team and for a person: pages
per week, after-hours pages (judged in the paged person's own zone), mean time to
acknowledge for SEV1 and SEV2, and the share of pages whose incident had a runbook, each
judged healthy / watch / unhealthy by the playbook's limits; after-hours pages per person
for comp time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, select

from ...clock import utc_midnight, week_start
from ...extensions import db
from ...models import IncidentRunbook, Page, PageNotice, Service, Team, User
from .policy import BUSINESS_HOURS, HEALTH_LIMITS, HEALTH_WEEKS, RUNBOOK_SHARE_LIMITS

LABELS = {
    "pages": "Pages",
    "after_hours": "After-hours pages",
    "mtta_sev1": "Mean time to ack, SEV1 (min)",
    "mtta_sev2": "Mean time to ack, SEV2 (min)",
    "runbook_share": "Pages with a runbook (%)",
}


@dataclass(frozen=True)
class Figure:
    key: str
    value: float | None  # None: nothing to judge that week (no page of that kind)
    verdict: str | None  # "healthy", "watch", "unhealthy"

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value:g}"


@dataclass(frozen=True)
class Week:
    start: date
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Health:
    """Twelve weeks of figures, oldest first, and after-hours pages per person per week."""

    weeks: list[Week]
    comp_time: list[tuple[str, list[int]]]


def judge(key: str, value: float | None) -> str | None:
    if value is None:
        return None
    if key == "runbook_share":
        healthy, unhealthy = RUNBOOK_SHARE_LIMITS
        return "healthy" if value > healthy else "unhealthy" if value < unhealthy else "watch"
    healthy, unhealthy = HEALTH_LIMITS[key]
    return "healthy" if value < healthy else "unhealthy" if value > unhealthy else "watch"


def zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def after_hours(at: datetime, zone: ZoneInfo) -> bool:
    local = at.astimezone(zone)
    start, end = BUSINESS_HOURS
    return local.weekday() >= 5 or not start <= local.hour < end


def _mean_minutes(pages: list[Page], severity: str) -> float | None:
    waits = [
        (page.acked_at - page.opened_at).total_seconds() / 60
        for page in pages
        if page.severity == severity and page.acked_at is not None
    ]
    return round(sum(waits) / len(waits), 1) if waits else None


def _with_runbook(pages: list[Page]) -> set[int]:
    incidents = {page.incident_id for page in pages}
    if not incidents:
        return set()
    rows = db.session.scalars(
        select(IncidentRunbook.incident_id).where(IncidentRunbook.incident_id.in_(incidents))
    )
    return set(rows)


def _figures(
    pages: list[Page], notices: list[PageNotice], with_runbook: set[int]
) -> dict[str, Figure]:
    share = (
        round(100 * sum(page.incident_id in with_runbook for page in pages) / len(pages))
        if pages
        else None
    )
    late = sum(after_hours(n.notified_at, zone_of(n.user)) for n in notices)
    values: dict[str, float | None] = {
        "pages": len(pages),
        "after_hours": late,
        "mtta_sev1": _mean_minutes(pages, "SEV1"),
        "mtta_sev2": _mean_minutes(pages, "SEV2"),
        "runbook_share": share,
    }
    return {key: Figure(key, value, judge(key, value)) for key, value in values.items()}


def _weeks(at: datetime) -> list[date]:
    last = week_start(at.astimezone(UTC).date())
    return [last - timedelta(weeks=back) for back in range(HEALTH_WEEKS - 1, -1, -1)]


def _health(
    pages_query: Select, notices_of: Callable[[Page], list[PageNotice]], at: datetime
) -> Health:
    weeks = _weeks(at)
    start, end = utc_midnight(weeks[0]), utc_midnight(weeks[-1] + timedelta(weeks=1))
    pages = list(
        db.session.scalars(pages_query.where(Page.opened_at >= start, Page.opened_at < end))
    )
    by_week: dict[date, list[Page]] = defaultdict(list)
    for page in pages:
        by_week[week_start(page.opened_at.astimezone(UTC).date())].append(page)
    with_runbook = _with_runbook(pages)  # once for the twelve weeks
    late: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    result = []
    for index, week in enumerate(weeks):
        notices = [n for page in by_week[week] for n in notices_of(page)]
        for notice in notices:
            if after_hours(notice.notified_at, zone_of(notice.user)):
                late[notice.user.display_name][index] += 1
        result.append(Week(week, _figures(by_week[week], notices, with_runbook)))
    return Health(result, sorted(late.items()))


def team_health(team: Team, at: datetime) -> Health:
    """Pages for the team's services; after hours as each paged person's own clock says."""
    names = select(Service.name).where(Service.team_id == team.id)
    query = select(Page).where(Page.service_name.in_(names)).order_by(Page.opened_at)
    return _health(query, lambda page: page.notices, at)


def person_health(user: User, at: datetime) -> Health:
    """Pages that reached `user` (any team's); after hours by their own zone."""
    paged = select(PageNotice.page_id).where(PageNotice.user_id == user.id)
    query = select(Page).where(Page.id.in_(paged)).order_by(Page.opened_at)
    return _health(query, lambda page: [n for n in page.notices if n.user_id == user.id], at)


def health_rows(health: Health) -> tuple[list[str], list[list[object]]]:
    """The weeks as a table (columns, rows), for the page's table and the CSV."""
    columns = ["Week from", *LABELS.values()]
    rows: list[list[object]] = [
        [week.start.isoformat(), *(week.figures[key].value for key in LABELS)]
        for week in health.weeks
    ]
    return columns, rows
