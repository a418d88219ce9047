"""Post-mortem action items written and moved through the services, and the all-clear called
alone, for the follow-through tests (the board, the insights figure, the requirement)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.lifecycle import call_all_clear
from incident_room.services.postmortem.action_items import (
    ActionItemMove,
    NewActionItem,
    add_action_item,
    move_action_item,
)
from incident_room.unit_of_work import run_change
from tests.conftest import socket_client
from tests.socket.helpers import call


def user_named(username: str) -> User:
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
        actor = user_named(username)
        new = NewActionItem(text, user_named(owner) if owner else None, due_on)
        ack = run_change(incident_id, actor, lambda i: add_action_item(i, actor, new))
        return ack["action_item"]


def move_item(
    app: Flask, incident_id: int, username: str, item: dict, state: str, reason: str | None = None
) -> dict:
    with app.app_context():
        actor = user_named(username)
        move = ActionItemMove(item["id"], item["version"], state, reason)
        ack = run_change(incident_id, actor, lambda i: move_action_item(i, actor, move))
        return ack["action_item"]


def all_clear(app: Flask, incident_id: int, username: str = "dana") -> dict[str, Any]:
    """The IC calls all-clear alone (with the override a SEV1/SEV2 needs); the decision."""
    with app.app_context():
        actor = user_named(username)
        run_change(
            incident_id,
            actor,
            lambda i: call_all_clear(i, actor, owner=None, override_reason="Alone on the call"),
        )
        return requirement(app, incident_id, username)


def requirement(app: Flask, incident_id: int, username: str = "dana") -> dict[str, Any]:
    client = socket_client(app, username)
    assert call(client, "join", {"incident_id": incident_id})["ok"]
    state = call(client, "postmortem.get", {"incident_id": incident_id})
    client.disconnect()
    return state["requirement"]
