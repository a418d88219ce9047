"""Incident fatigue: a week well above the weeks before it, said on the page and told once
to the team's leadership contact (policy.py has the rule's numbers)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from ...clock import now, utc_midnight, week_start
from ...extensions import db
from ...models import Incident, SpikeNotice, Team
from ...policy import INCIDENT_SPIKE_FACTOR, INCIDENT_SPIKE_MINIMUM, INCIDENT_SPIKE_TRAILING_WEEKS
from ...unit_of_work import commits_itself
from ..links import public_url
from ..mail.messages import ADDRESS, queue_mail
from .figures import scoped


@dataclass(frozen=True)
class Spike:
    week_start: date
    incidents: int
    trailing_median: float

    @property
    def sentence(self) -> str:
        return (
            f"{self.incidents} incidents in the week of {self.week_start:%d %b %Y}, against a "
            f"median of {self.trailing_median:g} a week over the {INCIDENT_SPIKE_TRAILING_WEEKS} "
            "weeks before: incident fatigue is real - time for a process review."
        )


def weekly_counts(query: Select, first_week: date, weeks: int) -> list[int]:
    """Incidents declared in each of `weeks` weeks from the Monday `first_week`."""
    start, end = utc_midnight(first_week), utc_midnight(first_week + timedelta(weeks=weeks))
    declared = db.session.scalars(
        query.with_only_columns(Incident.declared_at).where(
            Incident.declared_at >= start, Incident.declared_at < end
        )
    )
    counts = [0] * weeks
    for at in declared:
        counts[(at - start).days // 7] += 1
    return counts


def spike_in(query: Select, day: date) -> Spike | None:
    """The spike in the week holding `day`, if that week is one, by the playbook's rule."""
    this_week = week_start(day)
    first = this_week - timedelta(weeks=INCIDENT_SPIKE_TRAILING_WEEKS)
    *trailing, current = weekly_counts(query, first, INCIDENT_SPIKE_TRAILING_WEEKS + 1)
    median = statistics.median(trailing)
    if current >= INCIDENT_SPIKE_MINIMUM and current > INCIDENT_SPIKE_FACTOR * median:
        return Spike(this_week, current, median)
    return None


def _tell(team: Team, spike: Spike) -> None:
    queue_mail(
        team.leadership_contact,
        f"Incident spike for {team.name}: {spike.incidents} incidents this week",
        f"{spike.sentence}\n\nInsights: {public_url(f'/insights?team={team.id}')}\n",
        purpose="incident_spike",
    )


@commits_itself
def notify_spikes() -> int:
    """The job: each team in a spike this week whose leadership contact is an e-mail address
    is told once - the notice's key (team, week) claims it, across workers. Returns how many
    were told."""
    today, told = now().date(), 0
    teams = db.session.scalars(select(Team).where(Team.leadership_contact.contains("@"))).all()
    for team in teams:
        if not ADDRESS.fullmatch(team.leadership_contact.strip()):
            continue
        spike = spike_in(scoped(select(Incident), team.id), today)
        already = spike and db.session.get(SpikeNotice, (team.id, spike.week_start))
        if spike is None or already:
            continue
        db.session.add(
            SpikeNotice(
                team_id=team.id,
                week_start=spike.week_start,
                incidents=spike.incidents,
                trailing_median=round(spike.trailing_median),
            )
        )
        _tell(team, spike)
        try:
            db.session.commit()
            told += 1
        except IntegrityError:  # another worker told them first
            db.session.rollback()
    return told
