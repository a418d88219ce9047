"""The action item board across incidents, and the form that moves an item's state.

Same access as the rooms: an item shows only to people who may see its incident, and moving
one goes through the unit of work like any other change to the incident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import now
from ..errors import DomainError, invalid, not_found
from ..extensions import db
from ..models import Service, Team, User
from ..policy import ACTION_ITEM_MOVES, ACTION_ITEM_OPEN_STATES, ACTION_ITEM_STATES
from ..services.catalog.services import all_services
from ..services.catalog.teams import all_teams
from ..services.postmortem.action_items import ActionItemMove, move_action_item
from ..services.postmortem.board import BoardFilter, board_items, item_incident_id
from ..services.trackers.sync import send_to_tracker
from ..unit_of_work import run_change
from ..validation import optional_text, require_choice, require_uuid
from .filters import row_id_arg, user_arg

bp = Blueprint("action_items", __name__)
FILTER_ARGS = ("owner", "team", "service", "state", "overdue")
# The state filter's choices beyond the states themselves.
STILL_TO_DO, EVERY_STATE = "todo", "all"
MAX_REASON_LENGTH = 1000


def _states() -> tuple[str, ...]:
    choice = request.args.get("state", "") or STILL_TO_DO
    if choice == STILL_TO_DO:
        return ACTION_ITEM_OPEN_STATES
    if choice == EVERY_STATE:
        return tuple(ACTION_ITEM_STATES)
    return (require_choice({"state": choice}, "state", ACTION_ITEM_STATES),)


def _board_filter() -> BoardFilter:
    owner = user_arg("owner")
    return BoardFilter(
        owner_id=owner.id if owner else None,
        team_id=row_id_arg("team", Team, "team"),
        service_id=row_id_arg("service", Service, "service"),
        states=_states(),
        overdue_only=request.args.get("overdue") == "1",
    )


def _filter_args() -> dict[str, str]:
    """The board's filters as they came, to keep them across a move."""
    return {name: request.args[name][:80] for name in FILTER_ARGS if request.args.get(name)}


def _render(status: int = 200) -> ResponseReturnValue:
    try:
        board = _board_filter()
    except DomainError as error:
        flash(error.message, "error")
        board, status = BoardFilter(), 400
    return render_template(
        "action_items/board.html",
        items=board_items(current_user, board, now()),
        args=_filter_args(),
        people=db.session.scalars(select(User).order_by(User.username)).all(),
        teams=all_teams(),
        services=all_services(),
        states=ACTION_ITEM_STATES,
        moves=ACTION_ITEM_MOVES,
        still_to_do=STILL_TO_DO,
        every_state=EVERY_STATE,
    ), status


@bp.get("/action-items")
@login_required
def board() -> ResponseReturnValue:
    return _render()


def _move(item_id: str) -> ActionItemMove:
    form: dict[str, Any] = request.form.to_dict()
    base = form.get("base_version", "")
    if not base.isdigit() or len(base) > 9:
        raise invalid("base_version", "base_version must be a positive integer.")
    return ActionItemMove(
        item_id=require_uuid({"item_id": item_id}, "item_id"),
        base_version=int(base),
        state=require_choice(form, "state", ACTION_ITEM_STATES),
        reason=optional_text({"reason": form.get("reason") or None}, "reason", MAX_REASON_LENGTH),
    )


def _incident_of(item_id: str) -> int:
    incident_id = item_incident_id(item_id)
    if incident_id is None:
        raise not_found("action item")
    return incident_id


def _after(change: Callable[[User], dict[str, Any]], done: str) -> ResponseReturnValue:
    """Run a board form's change; back to the board (with its filters) or the reason why not."""
    try:
        ack = change(current_user._get_current_object())
    except DomainError as error:
        flash(error.message, "error")
        return _render(error.http_status)
    item = ack["action_item"]
    flash(done.format(**{**item, "text": item["text"][:80]}), "info")
    return redirect(url_for("action_items.board", **_filter_args()), 303)


@bp.post("/action-items/<item_id>/state")
@login_required
def move(item_id: str) -> ResponseReturnValue:
    def change(user: User) -> dict[str, Any]:
        move = _move(item_id)
        return run_change(
            _incident_of(move.item_id), user, lambda inc: move_action_item(inc, user, move)
        )

    return _after(change, "“{text}” is now {state_label}.")


@bp.post("/action-items/<item_id>/ticket")
@login_required
def ticket(item_id: str) -> ResponseReturnValue:
    def change(user: User) -> dict[str, Any]:
        checked = require_uuid({"item_id": item_id}, "item_id")
        return send_to_tracker(user, _incident_of(checked), checked)

    return _after(change, "“{text}” is now a ticket: {tracker_url}")
