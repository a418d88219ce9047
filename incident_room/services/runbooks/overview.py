"""How runbooks are doing: the share of alerts that came with one (the on-call health
figure: above 80% healthy, below 50% unhealthy) and, per runbook, how often it was used and
how long from its first step ticked to mitigation. Counted over incidents the viewer sees."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from ...extensions import db
from ...models import ChecklistItem, Incident, IncidentRunbook, Runbook, RunbookStepItem, User
from ..access import visible_incidents
from .authoring import all_runbooks
from .policy import RUNBOOK_SHARE_HEALTHY, RUNBOOK_SHARE_UNHEALTHY


@dataclass(frozen=True)
class AlertShare:
    alerts: int  # incidents opened by an alert
    with_runbook: int

    @property
    def share(self) -> float | None:
        return self.with_runbook / self.alerts if self.alerts else None

    @property
    def health(self) -> str:
        """ "healthy", "watch", "unhealthy", or "none" before any alert."""
        if self.share is None:
            return "none"
        if self.share > RUNBOOK_SHARE_HEALTHY:
            return "healthy"
        return "unhealthy" if self.share < RUNBOOK_SHARE_UNHEALTHY else "watch"


@dataclass(frozen=True)
class RunbookUse:
    runbook: Runbook
    uses: int
    # The median time from its first step ticked to the incident's mitigation, over the
    # uses that have both (None: none has).
    first_step_to_mitigation: timedelta | None
    timed_uses: int


def alert_share(viewer: User) -> AlertShare:
    seen = visible_incidents(viewer).where(Incident.alert_key.is_not(None)).subquery()
    alerts = db.session.scalar(select(func.count()).select_from(seen))
    with_runbook = db.session.scalar(
        select(func.count(func.distinct(IncidentRunbook.incident_id))).where(
            IncidentRunbook.incident_id.in_(select(seen.c.id)), IncidentRunbook.via == "alert"
        )
    )
    return AlertShare(alerts or 0, with_runbook or 0)


def runbook_uses(viewer: User) -> list[RunbookUse]:
    """Every runbook, most used first."""
    seen = visible_incidents(viewer).subquery()
    first_tick = (
        select(
            RunbookStepItem.incident_runbook_id.label("link_id"),
            func.min(ChecklistItem.done_at).label("first_done"),
        )
        .join(ChecklistItem, ChecklistItem.id == RunbookStepItem.checklist_item_id)
        .where(ChecklistItem.done.is_(True))
        .group_by(RunbookStepItem.incident_runbook_id)
        .subquery()
    )
    rows = db.session.execute(
        select(IncidentRunbook.runbook_id, first_tick.c.first_done, seen.c.mitigated_at)
        .join(seen, seen.c.id == IncidentRunbook.incident_id)
        .outerjoin(first_tick, first_tick.c.link_id == IncidentRunbook.id)
    )
    uses: dict[int, int] = {}
    spans: dict[int, list[timedelta]] = {}
    for runbook_id, first_done, mitigated_at in rows:
        uses[runbook_id] = uses.get(runbook_id, 0) + 1
        if first_done is not None and mitigated_at is not None and mitigated_at >= first_done:
            spans.setdefault(runbook_id, []).append(mitigated_at - first_done)
    found = [
        RunbookUse(
            runbook,
            uses.get(runbook.id, 0),
            statistics.median(spans[runbook.id]) if runbook.id in spans else None,
            len(spans.get(runbook.id, [])),
        )
        for runbook in all_runbooks()
    ]
    return sorted(found, key=lambda use: -use.uses)
