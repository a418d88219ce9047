"""What we will do: action items with an owner, a due date and a tracker link.

One without an owner or a due date is flagged (it is a wish, not a commitment) but never
refused. Items are versioned and co-edited like sections.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from ...clock import now
from ...errors import DomainError
from ...extensions import db
from ...models import Incident, Postmortem, PostmortemActionItem, User
from ...policy import (
    ACTION_ITEM_MOVES,
    ACTION_ITEM_OPEN_STATES,
    ACTION_ITEM_STATES,
    ACTION_ITEM_STATES_NEEDING_REASON,
)
from ...unit_of_work import EventType
from ...wire.postmortem import action_item_dict
from ..merge import MergeConflict
from ..rows import row_in
from .blameless import part_flags
from .history import action_item_part, merge_onto_current, record_change
from .workspace import editable_postmortem, record_postmortem_event, require_postmortem


@dataclass(frozen=True)
class NewActionItem:
    text: str
    owner: User | None = None
    due_on: date | None = None
    tracker_url: str | None = None
    state: str = "open"
    state_reason: str | None = None
    done_at: datetime | None = None
    tracker_key: str | None = None


@dataclass(frozen=True)
class ActionItemMove:
    """Where an item now stands (policy.ACTION_ITEM_STATES), from the version the mover saw."""

    item_id: str
    base_version: int
    state: str
    reason: str | None = None


@dataclass(frozen=True)
class ActionItemEdit:
    item_id: str
    base_version: int
    changes: dict[str, Any]  # any of text, owner_id, due_on (ISO date), tracker_url


def item_fields(item: PostmortemActionItem) -> dict[str, Any]:
    """The editable fields, as stored in the item's versions."""
    return {
        "text": item.text,
        "owner_id": item.owner_id,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "tracker_url": item.tracker_url,
    }


def _with_flags(incident: Incident, item: PostmortemActionItem) -> dict[str, Any]:
    """The item as its events carry it, with the blameless flags of its text."""
    flags = part_flags(incident.id, action_item_part(item.id), item.text)
    return {"action_item": action_item_dict(item), "blameless": flags}


def active_action_items(postmortem: Postmortem) -> list[PostmortemActionItem]:
    return list(
        db.session.scalars(
            select(PostmortemActionItem)
            .filter_by(postmortem_id=postmortem.id, deleted=False)
            .order_by(PostmortemActionItem.position, PostmortemActionItem.created_at)
        )
    )


def _next_position(postmortem: Postmortem) -> int:
    highest = db.session.scalar(
        select(func.max(PostmortemActionItem.position)).filter_by(postmortem_id=postmortem.id)
    )
    return (highest or 0) + 1


def _create_item(
    postmortem: Postmortem, actor: User, new: NewActionItem, position: int
) -> PostmortemActionItem:
    item = PostmortemActionItem(
        id=str(uuid.uuid4()),
        postmortem_id=postmortem.id,
        position=position,
        text=new.text,
        owner_id=new.owner.id if new.owner else None,
        owner=new.owner,
        due_on=new.due_on,
        tracker_url=new.tracker_url,
        version=1,
        deleted=False,
        created_by_id=actor.id,
        created_at=now(),
        state=new.state,
        state_reason=new.state_reason,
        done_at=new.done_at,
        tracker_key=new.tracker_key,
    )
    db.session.add(item)
    db.session.flush()
    record_change(postmortem, action_item_part(item.id), 1, "create", actor, item_fields(item))
    return item


def copy_action_items(source: Postmortem, into: Postmortem, actor: User) -> None:
    """Carry the action items of a published revision, where each stands, into the next one."""
    for item in active_action_items(source):
        new = NewActionItem(
            item.text,
            item.owner,
            item.due_on,
            item.tracker_url,
            item.state,
            item.state_reason,
            item.done_at,
            item.tracker_key,
        )
        _create_item(into, actor, new, item.position)


def add_action_item(incident: Incident, actor: User, new: NewActionItem) -> dict[str, Any]:
    postmortem = editable_postmortem(incident)
    item = _create_item(postmortem, actor, new, _next_position(postmortem))
    data = _with_flags(incident, item)
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_ACTION_ITEM_ADDED, actor, data
    )
    return data


def _item_in(postmortem: Postmortem, item_id: str) -> PostmortemActionItem:
    return row_in(
        postmortem.id, PostmortemActionItem, item_id, "action item", "item_id", "postmortem_id"
    )


def _conflict(item: PostmortemActionItem, message: str, field: str | None = None) -> DomainError:
    return DomainError("conflict", message, current=action_item_dict(item), field=field)


def _apply(item: PostmortemActionItem, fields: dict[str, Any]) -> None:
    item.text = fields["text"]
    item.owner = db.session.get(User, fields["owner_id"]) if fields["owner_id"] else None
    item.due_on = date.fromisoformat(fields["due_on"]) if fields["due_on"] else None
    item.tracker_url = fields["tracker_url"]


def edit_action_item(incident: Incident, actor: User, edit: ActionItemEdit) -> dict[str, Any]:
    postmortem = editable_postmortem(incident)
    item = _item_in(postmortem, edit.item_id)
    if item.deleted:
        raise _conflict(item, "This action item was deleted meanwhile.")
    part = action_item_part(item.id)
    current = item_fields(item)
    try:
        merged = merge_onto_current(
            postmortem, part, current, item.version, edit.base_version, edit.changes
        )
    except MergeConflict as clash:
        message = f"Someone changed the same {clash.field} meanwhile."
        raise _conflict(item, message, clash.field) from None
    if merged == current:
        return {"action_item": action_item_dict(item), "merged": False, "unchanged": True}
    was_merged = edit.base_version != item.version
    _apply(item, merged)
    item.version += 1
    record_change(postmortem, part, item.version, "edit", actor, merged)
    db.session.flush()
    data = {**_with_flags(incident, item), "merged": was_merged}
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_ACTION_ITEM_EDITED, actor, data
    )
    return data


def delete_action_item(
    incident: Incident, actor: User, item_id: str, base_version: int
) -> dict[str, Any]:
    postmortem = editable_postmortem(incident)
    item = _item_in(postmortem, item_id)
    if base_version != item.version:
        raise _conflict(item, "This action item changed meanwhile; look at it again first.")
    if item.deleted:
        return {"action_item": action_item_dict(item), "unchanged": True}
    item.deleted = True
    item.version += 1
    fields = item_fields(item) | {"deleted": True}
    record_change(postmortem, action_item_part(item.id), item.version, "delete", actor, fields)
    db.session.flush()
    data = {"action_item": action_item_dict(item)}
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_ACTION_ITEM_DELETED, actor, data
    )
    return data


def _check_move(item: PostmortemActionItem, move: ActionItemMove) -> None:
    if item.deleted:
        raise _conflict(item, "This action item was deleted meanwhile.")
    if move.base_version != item.version:
        raise _conflict(item, "This action item changed meanwhile; look at it again first.")
    if move.state not in ACTION_ITEM_MOVES[item.state]:
        allowed = ", ".join(ACTION_ITEM_STATES[state] for state in ACTION_ITEM_MOVES[item.state])
        raise DomainError(
            "invalid",
            f"An item that is {ACTION_ITEM_STATES[item.state]} can become: {allowed}.",
            field="state",
        )
    if move.state in ACTION_ITEM_STATES_NEEDING_REASON and not move.reason:
        message = f"Say why it is {ACTION_ITEM_STATES[move.state]}: the review will ask."
        raise DomainError("invalid", message, field="reason")


def move_action_item(
    incident: Incident, actor: User | None, move: ActionItemMove
) -> dict[str, Any]:
    """Set where an item stands. Unlike its text, owner and date, its state moves on after
    the post-mortem is published: that is the follow-through. `actor` None: its ticket."""
    postmortem = require_postmortem(incident)
    item = _item_in(postmortem, move.item_id)
    _check_move(item, move)
    item.state = move.state
    item.state_reason = move.reason if move.state in ACTION_ITEM_STATES_NEEDING_REASON else None
    item.done_at = now() if move.state == "done" else None
    extra = {"state": item.state, "state_reason": item.state_reason}
    return _record_follow_through(incident, postmortem, item, actor, "state", extra)


def _record_follow_through(
    incident: Incident,
    postmortem: Postmortem,
    item: PostmortemActionItem,
    actor: User | None,
    action: str,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """A change made to an item after the post-mortem (its state, its ticket): a new
    version with its fields, and the edited event."""
    item.version += 1
    fields = item_fields(item) | extra
    record_change(postmortem, action_item_part(item.id), item.version, action, actor, fields)
    db.session.flush()
    data = _with_flags(incident, item)
    record_postmortem_event(
        incident, postmortem, EventType.POSTMORTEM_ACTION_ITEM_EDITED, actor, data
    )
    return data


def live_item(incident: Incident, item_id: str) -> PostmortemActionItem:
    """An item of the incident's current post-mortem that was not deleted."""
    item = _item_in(require_postmortem(incident), item_id)
    if item.deleted:
        raise _conflict(item, "This action item was deleted meanwhile.")
    return item


def link_ticket(
    incident: Incident, actor: User, item_id: str, key: str, url: str
) -> dict[str, Any]:
    """The ticket made for the item in the team's tracker. Like its state, and unlike its
    other fields, this happens after publishing too (the playbook files tickets on day 5)."""
    postmortem = require_postmortem(incident)
    item = live_item(incident, item_id)
    if item.tracker_key is not None:
        raise _conflict(item, "This action item already has its ticket.", "tracker_url")
    item.tracker_key, item.tracker_url = key, url
    return _record_follow_through(incident, postmortem, item, actor, "ticket", {"tracker_key": key})


def follow_ticket(incident: Incident, key: str, closed: bool) -> dict[str, Any] | None:
    """A ticket closed (the item is done) or reopened (a done item is in progress again);
    None when the item stands where the ticket says already, or was waived."""
    item = db.session.scalar(
        select(PostmortemActionItem).where(
            PostmortemActionItem.postmortem_id == require_postmortem(incident).id,
            PostmortemActionItem.tracker_key == key,
            PostmortemActionItem.deleted.is_(False),
        )
    )
    if item is None:
        return None
    if closed and item.state in ACTION_ITEM_OPEN_STATES:
        state = "done"
    elif not closed and item.state == "done":
        state = "in_progress"
    else:
        return None
    return move_action_item(incident, None, ActionItemMove(item.id, item.version, state))
