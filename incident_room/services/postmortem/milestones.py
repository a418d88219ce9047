"""The post-mortem's schedule kept: milestones due from the all-clear (draft day 1, meeting
day 2-3, review, publish day 5, action review day 30), done by the post-mortem's own status
or by its owner, and one reminder to the owner when each falls due - in the app, through the
webhooks and by e-mail - claimed with a conditional UPDATE so it is sent once across workers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import (
    Incident,
    PostmortemMilestone,
    PostmortemRequirement,
    Service,
    Team,
    User,
)
from ...policy import (
    MILESTONE_KEYS,
    MILESTONES_DONE_BY_STATUS,
    POSTMORTEM_MILESTONES,
)
from ...unit_of_work import EventType, commits_itself
from ...wire.postmortem import MilestoneView, milestone_view
from ..access import visible_incidents
from ..links import public_url
from ..mail.messages import queue_mail
from ..webhooks import notify
from .workspace import ensure_may_publish, record_postmortem_event, require_postmortem


def plan_milestones(incident: Incident) -> None:
    """At the all-clear: every milestone, due from the moment of recovery (kept if the
    incident is reopened and resolved again)."""
    start = incident.resolved_at or now()
    have = set(
        db.session.scalars(
            select(PostmortemMilestone.key).where(PostmortemMilestone.incident_id == incident.id)
        )
    )
    for key, _, after in POSTMORTEM_MILESTONES:
        if key not in have:
            db.session.add(
                PostmortemMilestone(incident_id=incident.id, key=key, due_at=start + after)
            )
    db.session.flush()


def milestone_rows(incident_id: int) -> list[PostmortemMilestone]:
    rows = db.session.scalars(
        select(PostmortemMilestone).where(PostmortemMilestone.incident_id == incident_id)
    )
    return sorted(rows, key=lambda row: MILESTONE_KEYS.index(row.key))


def milestones_of(incident_id: int, at: datetime | None = None) -> list[MilestoneView]:
    at = at or now()
    return [milestone_view(row, at) for row in milestone_rows(incident_id)]


def next_milestones(incident_ids: list[int], at: datetime) -> dict[int, MilestoneView]:
    """Each incident's first milestone still to do, in one query (for the incident list)."""
    rows = db.session.scalars(
        select(PostmortemMilestone)
        .where(
            PostmortemMilestone.incident_id.in_(incident_ids),
            PostmortemMilestone.done_at.is_(None),
        )
        .order_by(PostmortemMilestone.due_at.desc())
    )
    return {row.incident_id: milestone_view(row, at) for row in rows}


def complete_by_status(incident: Incident, status: str) -> None:
    """The post-mortem moved to `status`: the milestones that status fulfils are done."""
    keys = MILESTONES_DONE_BY_STATUS.get(status, ())
    for row in milestone_rows(incident.id):
        if row.key in keys and row.done_at is None:
            row.done_at = now()


def mark_done(incident: Incident, actor: User, key: str) -> dict[str, Any]:
    """The owner (or the IC) says a milestone is done - the meeting was held, say."""
    ensure_may_publish(incident, actor)
    row = next((r for r in milestone_rows(incident.id) if r.key == key), None)
    if row is None:
        raise DomainError(
            "not_found", "The schedule starts when the all-clear is called.", field="milestone"
        )
    if row.done_at is not None:
        return {"milestones": milestones_of(incident.id), "unchanged": True}
    row.done_at = now()
    db.session.flush()
    data = {"milestones": milestones_of(incident.id)}
    record_postmortem_event(
        incident, require_postmortem(incident), EventType.POSTMORTEM_MILESTONE_DONE, actor, data
    )
    return data


def _held() -> Any:
    """The incidents whose post-mortem is held (required and not waived, or asked for)."""
    return select(PostmortemRequirement.incident_id).where(
        or_(
            and_(
                PostmortemRequirement.required.is_(True),
                or_(
                    PostmortemRequirement.choice.is_(None),
                    PostmortemRequirement.choice != "waived",
                ),
            ),
            PostmortemRequirement.choice == "asked",
        )
    )


@dataclass(frozen=True)
class Reminder:
    """One reminder sent: to whom (user id), for which incident and milestone."""

    owner_id: int
    incident_id: int
    reference: str
    milestone: MilestoneView


def _claim(row_id: int, at: datetime) -> bool:
    """Take the reminder of one milestone: true for exactly one worker."""
    claimed = db.session.execute(
        update(PostmortemMilestone)
        .where(PostmortemMilestone.id == row_id, PostmortemMilestone.reminded_at.is_(None))
        .values(reminded_at=at)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _remind(incident: Incident, owner: User, view: MilestoneView) -> None:
    text = (
        f"Post-mortem of {incident.reference}: {view['label']} was due "
        f"{view['due_at']} (owner: {owner.display_name})."
    )
    notify(
        incident,
        "postmortem_milestone_due",
        {
            "milestone": view["key"],
            "due_at": view["due_at"],
            "owner": owner.display_name,
            "text": text,
        },
    )
    if owner.email:
        queue_mail(
            owner.email,
            f"Due: {view['label']} ({incident.reference} {incident.title})",
            f"{text}\n\nPost-mortem: {public_url(f'/incidents/{incident.id}/postmortem')}\n",
            purpose="postmortem_milestone",
        )


@commits_itself
def remind_due_milestones() -> list[Reminder]:
    """The job: each milestone that fell due, not done, of a held post-mortem with an owner
    (drills are rehearsals: never) is reminded once - each claimed and told in a
    transaction of its own."""
    at = now()
    due = db.session.execute(
        select(PostmortemMilestone.id, Incident.id)
        .join(Incident, Incident.id == PostmortemMilestone.incident_id)
        .where(
            PostmortemMilestone.due_at <= at,
            PostmortemMilestone.done_at.is_(None),
            PostmortemMilestone.reminded_at.is_(None),
            Incident.postmortem_owner_id.is_not(None),
            Incident.drill.is_(False),
            Incident.id.in_(_held()),
        )
        .order_by(PostmortemMilestone.due_at)
    ).all()
    db.session.commit()
    sent: list[Reminder] = []
    for row_id, incident_id in due:
        if not _claim(row_id, at):
            db.session.rollback()
            continue
        row = db.session.get(PostmortemMilestone, row_id)
        incident = db.session.get(Incident, incident_id)
        owner = incident.postmortem_owner
        view = milestone_view(row, at)
        _remind(incident, owner, view)
        db.session.commit()
        sent.append(Reminder(owner.id, incident_id, incident.reference, view))
    return sent


@dataclass(frozen=True)
class OverdueMilestone:
    incident: Incident
    milestone: MilestoneView
    owner: User | None
    team: Team | None


def overdue_milestones(viewer: User, team_id: int | None, at: datetime) -> list[OverdueMilestone]:
    """Milestones past due and not done, of incidents `viewer` may see (of one team, when
    `team_id` is given), the longest overdue first."""
    visible = visible_incidents(viewer).with_only_columns(Incident.id)
    query = (
        select(PostmortemMilestone, Incident, Team)
        .join(Incident, Incident.id == PostmortemMilestone.incident_id)
        .outerjoin(Service, Service.id == Incident.service_id)
        .outerjoin(Team, Team.id == Service.team_id)
        .where(
            Incident.id.in_(visible),
            PostmortemMilestone.due_at <= at,
            PostmortemMilestone.done_at.is_(None),
        )
        .order_by(PostmortemMilestone.due_at, Incident.number)
    )
    if team_id is not None:
        query = query.where(Service.team_id == team_id)
    return [
        OverdueMilestone(incident, milestone_view(row, at), incident.postmortem_owner, team)
        for row, incident, team in db.session.execute(query)
    ]
