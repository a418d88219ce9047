"""Action items after the post-mortem: open, in progress, done, won't do - moved live, even
once the revision is published, and only in moves that make sense."""

import pytest

from tests.conftest import declare, socket_client
from tests.socket.helpers import call, change, received, resolve


@pytest.fixture
def item(app, dana, fox):
    """A resolved SEV2 whose post-mortem has one action item; Dana (IC) and Fox in the room."""
    incident = declare(app, "dana", severity="SEV2")
    a, b = socket_client(app, "dana"), socket_client(app, "fox")
    for client in (a, b):
        assert call(client, "join", {"incident_id": incident})["ok"]
    resolve(a, b, incident)
    add = {"incident_id": incident, "text": "Alert on pool saturation", "owner": "fox"}
    created = change(a, "postmortem.action_item.add", add)["action_item"]
    a.get_received(), b.get_received()
    return incident, created, a, b


def move(client, incident, item, state, **extra):
    payload = {"incident_id": incident, "item_id": item["id"], "base_version": item["version"]}
    return change(client, "postmortem.action_item.state", {**payload, "state": state, **extra})


def current(client, incident, item_id):
    items = call(client, "postmortem.get", {"incident_id": incident})["action_items"]
    return next(item for item in items if item["id"] == item_id)


def test_a_new_item_is_open_and_its_moves_reach_the_room(item) -> None:
    incident, created, a, b = item
    assert (created["state"], created["state_label"], created["done_at"]) == ("open", "Open", None)
    ack = move(b, incident, created, "in_progress")
    assert ack["ok"] and ack["action_item"]["state_label"] == "In progress"
    [event] = received(a)
    assert event["type"] == "postmortem.action_item_edited"
    assert event["data"]["action_item"]["state"] == "in_progress"
    done = move(b, incident, ack["action_item"], "done")["action_item"]
    assert done["state"] == "done" and done["done_at"] is not None
    reopened = move(a, incident, done, "in_progress")["action_item"]
    assert (reopened["state"], reopened["done_at"]) == ("in_progress", None)


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((), "open"),  # no move at all
        (("done",), "wont_do"),  # a done item is reopened, not waived
        (("done",), "open"),
        (("wont_do",), "done"),  # a waived item is reopened before it is done
        (("wont_do",), "in_progress"),
    ],
)
def test_moves_that_make_no_sense_are_refused_and_change_nothing(item, path, refused) -> None:
    incident, created, a, _ = item
    for state in path:
        created = move(a, incident, created, state, reason="Replaced by the new pool")
        created = created["action_item"]
    ack = move(a, incident, created, refused, reason="because")
    assert (ack["ok"], ack["error"]["code"], ack["error"]["field"]) == (False, "invalid", "state")
    assert "can become" in ack["error"]["message"]
    assert current(a, incident, created["id"]) == created


def test_wont_do_needs_a_reason_and_keeps_it(item) -> None:
    incident, created, a, _ = item
    for reason in ({}, {"reason": ""}, {"reason": None}):
        ack = move(a, incident, created, "wont_do", **reason)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert current(a, incident, created["id"])["state"] == "open"
    ack = move(a, incident, created, "wont_do", reason="The pool goes away in Q1")
    assert ack["action_item"]["state_reason"] == "The pool goes away in Q1"
    reopened = move(a, incident, ack["action_item"], "open")["action_item"]
    assert (reopened["state"], reopened["state_reason"]) == ("open", None)


@pytest.mark.parametrize("state", ["finished", "", None, 3, ["done"]])
def test_unknown_states_are_invalid(item, state) -> None:
    incident, created, a, _ = item
    ack = move(a, incident, created, state)
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", "state")


def test_a_stale_move_is_a_conflict_with_the_item_as_it_is(item) -> None:
    incident, created, a, b = item
    assert move(a, incident, created, "in_progress")["ok"]
    stale = move(b, incident, created, "done")
    assert stale["error"]["code"] == "conflict"
    assert stale["error"]["current"]["state"] == "in_progress"


def test_state_moves_on_after_publishing_and_into_the_next_revision(item) -> None:
    incident, created, a, b = item
    for status in ("in_review", "published"):
        payload = {
            "incident_id": incident,
            "status": status,
            "reason": "Reviewed together in the meeting",
        }
        assert change(a, "postmortem.set_status", payload)["ok"]
    frozen = change(
        b,
        "postmortem.action_item.edit",
        {"incident_id": incident, "item_id": created["id"], "base_version": 1, "text": "x"},
    )
    assert frozen["error"]["code"] == "invalid"
    done = move(b, incident, created, "done")
    assert done["ok"] and done["action_item"]["state"] == "done"
    assert change(a, "postmortem.new_revision", {"incident_id": incident})["ok"]
    [carried] = call(a, "postmortem.get", {"incident_id": incident})["action_items"]
    assert carried["text"] == "Alert on pool saturation"
    assert (carried["state"], carried["done_at"]) == ("done", done["action_item"]["done_at"])
