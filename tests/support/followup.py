"""Post-mortem action items written and moved through the services, for the follow-through
tests (the board, the insights figure)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.postmortem.action_items import (
    ActionItemMove,
    NewActionItem,
    add_action_item,
    move_action_item,
)
from incident_room.unit_of_work import run_change


def _as(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def commit_to(
    app: Flask,
    incident_id: int,
    username: str,
    text: str,
    owner: str | None = None,
    due_on: date | None = None,
) -> dict:
    """An action item in the incident's post-mortem draft, written by `username`."""
    with app.app_context():
        actor = _as(username)
        new = NewActionItem(text, _as(owner) if owner else None, due_on)
        ack = run_change(incident_id, actor, lambda i: add_action_item(i, actor, new))
        return ack["action_item"]


def move_item(
    app: Flask, incident_id: int, username: str, item: dict, state: str, reason: str | None = None
) -> dict:
    with app.app_context():
        actor = _as(username)
        move = ActionItemMove(item["id"], item["version"], state, reason)
        ack = run_change(incident_id, actor, lambda i: move_action_item(i, actor, move))
        return ack["action_item"]
