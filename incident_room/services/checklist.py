"""The response checklist: the playbook's items per severity plus the team's own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..clock import now
from ..errors import DomainError, invalid
from ..extensions import db
from ..models import ChecklistItem, Incident, User
from ..policy import checklist_template
from ..unit_of_work import EventType, record_event
from ..wire.incident import checklist_item_dict
from .rows import row_in


def active_items(incident_id: int) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.incident_id == incident_id, ChecklistItem.active.is_(True))
            .order_by(ChecklistItem.position, ChecklistItem.id)
        )
    )


def checklist_state(incident_id: int) -> list[dict[str, Any]]:
    return [checklist_item_dict(item) for item in active_items(incident_id)]


def _next_position(incident_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(ChecklistItem.position)).where(ChecklistItem.incident_id == incident_id)
    )
    return (highest or 0) + 1


def fit_checklist_to_severity(incident: Incident) -> None:
    """Make the playbook items match the incident's severity; ticked items always stay."""
    template = checklist_template(incident.severity)
    wanted = {key for key, _ in template}
    existing = {
        item.template_key: item
        for item in db.session.scalars(
            select(ChecklistItem).where(
                ChecklistItem.incident_id == incident.id, ChecklistItem.template_key.is_not(None)
            )
        )
    }
    for key, item in existing.items():
        item.active = key in wanted or item.done
    position = _next_position(incident.id)
    for index, (key, text) in enumerate(template):
        if key in existing:
            continue
        db.session.add(
            ChecklistItem(
                incident_id=incident.id,
                position=position + index,
                text=text,
                template_key=key,
                active=True,
                done=False,
            )
        )
    db.session.flush()


def _item_in(incident: Incident, item_id: int) -> ChecklistItem:
    item = row_in(incident.id, ChecklistItem, item_id, "checklist item", "item_id")
    if not item.active:
        raise DomainError("not_found", "No such checklist item.", field="item_id")
    return item


def toggle_item(incident: Incident, actor: User, item_id: int, done: bool) -> dict[str, Any]:
    """Tick or untick; the last committed toggle wins and every toggle is logged."""
    item = _item_in(incident, item_id)
    item.done = done
    item.done_by_id = actor.id if done else None
    item.done_by = actor if done else None
    item.done_at = now() if done else None
    db.session.flush()
    data = {"item": checklist_item_dict(item)}
    record_event(incident, EventType.CHECKLIST_TOGGLED, actor, data)
    return data


def add_row(incident: Incident, text: str, actor: User) -> ChecklistItem:
    """A new item at the end of the list (no event: the caller's change records one)."""
    item = ChecklistItem(
        incident_id=incident.id,
        position=_next_position(incident.id),
        text=text,
        active=True,
        done=False,
        added_by_id=actor.id,
    )
    db.session.add(item)
    db.session.flush()
    return item


def add_item(incident: Incident, actor: User, text: str) -> dict[str, Any]:
    item = add_row(incident, text, actor)
    data = {"item": checklist_item_dict(item)}
    record_event(incident, EventType.CHECKLIST_ADDED, actor, data)
    return data


def reorder_items(incident: Incident, actor: User, item_ids: list[int]) -> dict[str, Any]:
    items = active_items(incident.id)
    if sorted(item_ids) != sorted(item.id for item in items):
        raise invalid("item_ids", "item_ids must list every item on the checklist once.")
    by_id = {item.id: item for item in items}
    for position, item_id in enumerate(item_ids, start=1):
        by_id[item_id].position = position
    db.session.flush()
    data = {"checklist": checklist_state(incident.id)}
    record_event(incident, EventType.CHECKLIST_REORDERED, actor, data)
    return data


def tick_playbook_item(incident: Incident, template_key: str, actor: User) -> None:
    """Tick the playbook item `template_key` (when the checklist has it and it is not ticked
    yet) as part of the change that did what it says; the change's event carries the list."""
    item = db.session.scalar(
        select(ChecklistItem).where(
            ChecklistItem.incident_id == incident.id,
            ChecklistItem.template_key == template_key,
            ChecklistItem.active.is_(True),
        )
    )
    if item is not None and not item.done:
        item.done, item.done_by_id, item.done_by, item.done_at = True, actor.id, actor, now()
