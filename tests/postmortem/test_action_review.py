"""The day-30 action item review: a checklist of the items with their states, the outcome
recorded by the owner (with the checklist as it stood), and the last milestone done. On
SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import declare, logged_in_client, socket_client
from tests.socket.helpers import call, change
from tests.support.followup import all_clear, commit_to, move_item


@pytest.fixture
def reviewed(db_app: Flask, clock) -> tuple[int, Any, Any, dict]:
    """A resolved SEV1 with two action items, one done; Dana (IC, owner) and Fox in the room,
    30 days on."""
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    done = commit_to(db_app, incident, "dana", "Alert on pool saturation", owner="fox")
    move_item(db_app, incident, "fox", done, "done")
    still_open = commit_to(db_app, incident, "dana", "Load-test the new pool", owner="fox")
    clients = [socket_client(db_app, name) for name in ("dana", "fox")]
    for client in clients:
        assert call(client, "join", {"incident_id": incident})["ok"]
    clock.advance(days=30)
    return incident, *clients, still_open


def record(client: Any, incident: int, outcome: str, **extra: Any) -> dict[str, Any]:
    payload = {"incident_id": incident, "outcome": outcome, **extra}
    return change(client, "postmortem.action_review.record", payload)


def test_the_checklist_shows_each_item_and_its_state(reviewed) -> None:
    incident, dana, _, _ = reviewed
    review = call(dana, "postmortem.get", {"incident_id": incident})["action_review"]
    assert [(i["text"], i["state_label"], i["settled"]) for i in review["checklist"]] == [
        ("Alert on pool saturation", "Done", True),
        ("Load-test the new pool", "Open", False),
    ]
    assert review["record"] is None


def test_the_owner_records_the_outcome_and_the_last_milestone_is_done(db_app, reviewed) -> None:
    incident, dana, fox, _ = reviewed
    assert record(fox, incident, "follow_up", notes="x")["error"]["code"] == "forbidden"
    refused = record(dana, incident, "follow_up")
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "notes")
    refused = record(dana, incident, "done")
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "outcome")
    assert record(dana, incident, "great")["error"]["field"] == "outcome"
    state = call(dana, "postmortem.get", {"incident_id": incident})
    assert state["action_review"]["record"] is None
    ack = record(dana, incident, "follow_up", notes="Fox load-tests the pool by Friday")
    outcome = ack["action_review"]["record"]
    assert (outcome["outcome_label"], outcome["recorded_by"]["username"]) == (
        "Needs follow-up",
        "dana",
    )
    assert [item["state"] for item in outcome["checklist"]] == ["done", "open"]
    milestones = call(dana, "postmortem.get", {"incident_id": incident})["milestones"]
    assert next(m for m in milestones if m["key"] == "action_review")["done_at"] is not None
    html = logged_in_client(db_app, "fox").get(f"/incidents/{incident}/postmortem").text
    assert "Needs follow-up</strong>: Fox load-tests the pool by Friday" in html


def test_every_item_settled_is_recorded_done(db_app, reviewed) -> None:
    incident, dana, fox, still_open = reviewed
    items = call(dana, "postmortem.get", {"incident_id": incident})["action_items"]
    current = next(item for item in items if item["id"] == still_open["id"])
    move = {"incident_id": incident, "item_id": current["id"], "base_version": current["version"]}
    wont = {**move, "state": "wont_do", "reason": "The pool goes away"}
    assert change(fox, "postmortem.action_item.state", wont)["ok"]
    ack = record(dana, incident, "done")
    assert ack["action_review"]["record"]["outcome"] == "done"
