"""Socket.IO events of the post-mortem (docs/protocol-postmortem.md): parse, authorise,
call, reply. Every change goes through the room's unit of work, with its op_id."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app

from ..errors import invalid
from ..extensions import socketio
from ..policy import (
    ACTION_ITEM_STATES,
    ACTION_REVIEW_OUTCOMES,
    MILESTONE_KEYS,
    POSTMORTEM_CHOICES,
    POSTMORTEM_STATUSES,
    REVIEW_DECISIONS,
)
from ..services import accounts
from ..services.access import visible_incident
from ..services.postmortem import (
    action_items,
    action_review,
    editor,
    meeting,
    milestones,
    requirement,
    review,
    sections,
    status,
)
from ..validation import (
    optional_text,
    parse_date,
    parse_http_url,
    require_choice,
    require_int,
    require_text,
    require_uuid,
)
from ..wire.postmortem import SECTION_KEYS
from .acks import current_actor, joined_change, require_joined, socket_event
from .paging_events import pager_room

MAX_ACTION_ITEM_LENGTH = 1000


def _max_text() -> int:
    return current_app.config["MAX_TEXT_LENGTH"]


@socket_event("postmortem.get", read=True)
def on_get(payload: dict[str, Any]) -> dict[str, Any]:
    incident = visible_incident(current_actor(), require_joined(payload))
    return editor.editor_state(incident, current_actor())


@socket_event("postmortem.edit_section")
def on_edit_section(payload: dict[str, Any]) -> dict[str, Any]:
    edit = sections.SectionEdit(
        key=require_choice(payload, "section", SECTION_KEYS),
        base_version=require_int(payload, "base_version"),
        text=require_text(payload, "text", _max_text(), empty=True),
    )
    return joined_change(payload, lambda inc: sections.edit_section(inc, current_actor(), edit))


def _optional_item_field(payload: dict[str, Any], field: str) -> Any:
    """owner, due_on or tracker_url; null or "" clears it."""
    value = payload.get(field)
    if value is None or value == "":
        return None
    if field == "owner":
        return accounts.resolve_user(value, "owner")
    if field == "due_on":
        return parse_date(value, "due_on")
    return parse_http_url(value, "tracker_url")


@socket_event("postmortem.action_item.add")
def on_action_item_add(payload: dict[str, Any]) -> dict[str, Any]:
    new = action_items.NewActionItem(
        text=require_text(payload, "text", MAX_ACTION_ITEM_LENGTH),
        owner=_optional_item_field(payload, "owner"),
        due_on=_optional_item_field(payload, "due_on"),
        tracker_url=_optional_item_field(payload, "tracker_url"),
    )
    return joined_change(
        payload, lambda inc: action_items.add_action_item(inc, current_actor(), new)
    )


def _action_item_changes(payload: dict[str, Any]) -> dict[str, Any]:
    """The fields the editor sent, in the form the item's versions store them."""
    changes: dict[str, Any] = {}
    if (text := optional_text(payload, "text", MAX_ACTION_ITEM_LENGTH)) is not None:
        changes["text"] = text
    if "owner" in payload:
        owner = _optional_item_field(payload, "owner")
        changes["owner_id"] = owner.id if owner else None
    if "due_on" in payload:
        due_on = _optional_item_field(payload, "due_on")
        changes["due_on"] = due_on.isoformat() if due_on else None
    if "tracker_url" in payload:
        changes["tracker_url"] = _optional_item_field(payload, "tracker_url")
    return changes


@socket_event("postmortem.action_item.edit")
def on_action_item_edit(payload: dict[str, Any]) -> dict[str, Any]:
    edit = action_items.ActionItemEdit(
        item_id=require_uuid(payload, "item_id"),
        base_version=require_int(payload, "base_version"),
        changes=_action_item_changes(payload),
    )
    return joined_change(
        payload, lambda inc: action_items.edit_action_item(inc, current_actor(), edit)
    )


@socket_event("postmortem.action_item.delete")
def on_action_item_delete(payload: dict[str, Any]) -> dict[str, Any]:
    item_id = require_uuid(payload, "item_id")
    base = require_int(payload, "base_version")
    return joined_change(
        payload, lambda inc: action_items.delete_action_item(inc, current_actor(), item_id, base)
    )


@socket_event("postmortem.action_item.state")
def on_action_item_state(payload: dict[str, Any]) -> dict[str, Any]:
    move = action_items.ActionItemMove(
        item_id=require_uuid(payload, "item_id"),
        base_version=require_int(payload, "base_version"),
        state=require_choice(payload, "state", ACTION_ITEM_STATES),
        reason=optional_text(payload, "reason", MAX_ACTION_ITEM_LENGTH),
    )
    return joined_change(
        payload, lambda inc: action_items.move_action_item(inc, current_actor(), move)
    )


@socket_event("postmortem.set_status")
def on_set_status(payload: dict[str, Any]) -> dict[str, Any]:
    new_status = require_choice(payload, "status", POSTMORTEM_STATUSES)
    reason = optional_text(payload, "reason", MAX_ACTION_ITEM_LENGTH)
    return joined_change(
        payload, lambda inc: status.set_status(inc, current_actor(), new_status, reason)
    )


@socket_event("postmortem.new_revision")
def on_new_revision(payload: dict[str, Any]) -> dict[str, Any]:
    return joined_change(payload, lambda inc: status.new_revision(inc, current_actor()))


@socket_event("postmortem.requirement.set")
def on_requirement_set(payload: dict[str, Any]) -> dict[str, Any]:
    choice = require_choice(payload, "choice", POSTMORTEM_CHOICES)
    reason = optional_text(payload, "reason", MAX_ACTION_ITEM_LENGTH)
    return joined_change(
        payload, lambda inc: requirement.set_choice(inc, current_actor(), choice, reason)
    )


@socket_event("postmortem.cause.tag")
def on_cause_tag(payload: dict[str, Any]) -> dict[str, Any]:
    tag = payload.get("tag")
    return joined_change(payload, lambda inc: requirement.tag_cause(inc, current_actor(), tag))


@socket_event("postmortem.milestone.done")
def on_milestone_done(payload: dict[str, Any]) -> dict[str, Any]:
    key = require_choice(payload, "milestone", MILESTONE_KEYS)
    return joined_change(payload, lambda inc: milestones.mark_done(inc, current_actor(), key))


@socket_event("postmortem.meeting.invite")
def on_meeting_invite(payload: dict[str, Any]) -> dict[str, Any]:
    return joined_change(payload, lambda inc: meeting.send_meeting_invite(inc, current_actor()))


MAX_REVIEWERS = 20


def _reviewers(payload: dict[str, Any]) -> list[Any]:
    names = payload.get("reviewers")
    if not isinstance(names, list) or not 1 <= len(names) <= MAX_REVIEWERS:
        raise invalid("reviewers", f"Name 1 to {MAX_REVIEWERS} reviewers.")
    return [accounts.resolve_user(name, "reviewers") for name in names]


@socket_event("postmortem.review.ask")
def on_review_ask(payload: dict[str, Any]) -> dict[str, Any]:
    reviewers = _reviewers(payload)
    return joined_change(payload, lambda inc: review.ask_reviewers(inc, current_actor(), reviewers))


@socket_event("postmortem.review.decide")
def on_review_decide(payload: dict[str, Any]) -> dict[str, Any]:
    answer = review.ReviewDecision(
        decision=require_choice(payload, "decision", REVIEW_DECISIONS),
        comment=optional_text(payload, "comment", MAX_ACTION_ITEM_LENGTH),
    )
    return joined_change(payload, lambda inc: review.decide_review(inc, current_actor(), answer))


@socket_event("postmortem.action_review.record")
def on_action_review_record(payload: dict[str, Any]) -> dict[str, Any]:
    outcome = require_choice(payload, "outcome", ACTION_REVIEW_OUTCOMES)
    notes = optional_text(payload, "notes", MAX_ACTION_ITEM_LENGTH)
    return joined_change(
        payload,
        lambda inc: action_review.record_action_review(inc, current_actor(), outcome, notes),
    )


def send_milestone_reminders() -> None:
    """The job: reminders of milestones fallen due (sent once across workers), each also
    shown at once in every tab of its owner."""
    for reminder in milestones.remind_due_milestones():
        socketio.emit("milestone_due", asdict(reminder), to=pager_room(reminder.owner_id))
