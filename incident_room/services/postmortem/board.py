"""The action item board: the items of every incident's current post-mortem in one list, as
far as the viewer may see the incidents, filtered by owner, team, service, state and overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, select

from ...extensions import db
from ...models import Incident, Postmortem, PostmortemActionItem, Service, Team, User
from ...policy import ACTION_ITEM_OPEN_STATES, ACTION_ITEM_REVIEW_AFTER
from ..access import visible_incidents


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows; by default every item still to be done."""

    owner_id: int | None = None
    team_id: int | None = None
    service_id: int | None = None
    states: tuple[str, ...] = ACTION_ITEM_OPEN_STATES
    overdue_only: bool = False


@dataclass(frozen=True)
class BoardItem:
    item: PostmortemActionItem
    incident: Incident
    service: Service | None
    team: Team | None
    overdue: bool
    # The playbook's day-30 review of the incident's items (None while it is not resolved).
    review_on: date | None


def current_revisions() -> Select:
    """Each incident's highest post-mortem revision, as (incident_id, revision)."""
    return select(Postmortem.incident_id, func.max(Postmortem.revision).label("revision")).group_by(
        Postmortem.incident_id
    )


def current_items() -> Select:
    """The live action items of each incident's current post-mortem, with their incident."""
    latest = current_revisions().subquery()
    return (
        select(PostmortemActionItem, Incident)
        .join(Postmortem, Postmortem.id == PostmortemActionItem.postmortem_id)
        .join(
            latest,
            and_(
                latest.c.incident_id == Postmortem.incident_id,
                latest.c.revision == Postmortem.revision,
            ),
        )
        .join(Incident, Incident.id == Postmortem.incident_id)
        .where(PostmortemActionItem.deleted.is_(False))
    )


def is_overdue(item: PostmortemActionItem, today: date) -> bool:
    return item.state in ACTION_ITEM_OPEN_STATES and item.due_on is not None and item.due_on < today


def review_day(incident: Incident) -> date | None:
    if incident.resolved_at is None:
        return None
    return (incident.resolved_at + ACTION_ITEM_REVIEW_AFTER).date()


def _filtered(query: Select, board: BoardFilter, today: date) -> Select:
    if board.owner_id is not None:
        query = query.where(PostmortemActionItem.owner_id == board.owner_id)
    if board.service_id is not None:
        query = query.where(Incident.service_id == board.service_id)
    if board.team_id is not None:
        query = query.where(Service.team_id == board.team_id)
    if board.overdue_only:
        query = query.where(
            PostmortemActionItem.due_on < today,
            PostmortemActionItem.state.in_(ACTION_ITEM_OPEN_STATES),
        )
    return query.where(PostmortemActionItem.state.in_(board.states))


def board_items(viewer: User, board: BoardFilter, at: datetime) -> list[BoardItem]:
    """Overdue first, then by due date (undated last), incident and position."""
    today = at.date()
    visible = visible_incidents(viewer).with_only_columns(Incident.id)
    query = (
        current_items()
        .add_columns(Service, Team)
        .outerjoin(Service, Service.id == Incident.service_id)
        .outerjoin(Team, Team.id == Service.team_id)
        .where(Incident.id.in_(visible))
    )
    rows = db.session.execute(_filtered(query, board, today)).all()
    items = [
        BoardItem(item, incident, service, team, is_overdue(item, today), review_day(incident))
        for item, incident, service, team in rows
    ]
    return sorted(
        items,
        key=lambda entry: (
            not entry.overdue,
            entry.item.due_on is None,
            entry.item.due_on or date.max,
            entry.incident.number,
            entry.item.position,
        ),
    )


def item_incident_id(item_id: str) -> int | None:
    """The incident whose post-mortem holds the item (None: no such item)."""
    return db.session.scalar(
        select(Postmortem.incident_id)
        .join(PostmortemActionItem, PostmortemActionItem.postmortem_id == Postmortem.id)
        .where(PostmortemActionItem.id == item_id)
    )


def ticket_incident_ids(key: str) -> list[int]:
    """The incidents whose current post-mortem has an item with the ticket `key`."""
    query = current_items().where(PostmortemActionItem.tracker_key == key)
    return sorted({incident.id for _item, incident in db.session.execute(query)})
