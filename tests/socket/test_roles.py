"""Roles in the room: claim, hand over, take over, release - seen by everyone, kept forever."""

import pytest

from tests.conftest import add_user
from tests.socket.helpers import call, change, event_types, join_all, received


@pytest.fixture
def room_severity() -> str:
    return "SEV1"


def claim(client, incident, role, **extra):
    return change(client, "role.claim", {"incident_id": incident, "role": role, **extra})


def holders(ack_or_state) -> dict[str, str | None]:
    return {r["role"]: (r["holder"] or {}).get("username") for r in ack_or_state["roles"]}


def test_the_declarer_is_incident_commander(room) -> None:
    incident, a, _ = room
    state = call(a, "join", {"incident_id": incident})
    assert holders(state)["incident_commander"] == "dana"
    assert state["role_history"][0]["how"] == "declared"


def test_a_claim_reaches_everyone_with_a_role_entry(room) -> None:
    incident, a, b = room
    ack = claim(b, incident, "technical_lead")
    assert ack["ok"] and holders(ack)["technical_lead"] == "fox"
    [event] = received(a)
    assert event["type"] == "role.changed"
    assert holders(event["data"])["technical_lead"] == "fox"
    assert event["data"]["entry"]["kind"] == "role"
    assert event["data"]["entry"]["text"] == "Fox Mulder is now Technical Lead"


def test_a_held_role_needs_an_explicit_takeover(room) -> None:
    incident, a, b = room
    refused = claim(b, incident, "incident_commander")
    assert refused["ok"] is False
    assert refused["error"]["code"] == "conflict"
    assert refused["error"]["holder"]["username"] == "dana"
    assert received(a) == []
    taken = claim(b, incident, "incident_commander", takeover=True)
    assert holders(taken)["incident_commander"] == "fox"
    [event] = received(a)
    assert (
        event["data"]["entry"]["text"] == "Fox Mulder took over Incident Commander from Dana Scully"
    )


def test_handover_to_a_participant_and_full_history(room, clock) -> None:
    incident, a, _ = room
    clock.advance(minutes=5)
    ack = claim(a, incident, "incident_commander", user="fox")
    assert holders(ack)["incident_commander"] == "fox"
    history = call(a, "join", {"incident_id": incident})["role_history"]
    commanders = [h for h in history if h["role"] == "incident_commander"]
    assert [(h["user"]["username"], h["how"]) for h in commanders] == [
        ("dana", "declared"),
        ("fox", "handover"),
    ]
    assert commanders[0]["ended_at"] == commanders[1]["started_at"] == "2026-03-14T02:05:00Z"
    assert commanders[1]["ended_at"] is None


def test_only_the_holder_or_the_commander_hands_a_role_over(app, room) -> None:
    incident, a, b = room
    add_user(app, "walter", "Walter Skinner")
    [c] = join_all(app, incident, "walter")
    assert claim(b, incident, "scribe")["ok"]
    refused = claim(c, incident, "scribe", user="dana")
    assert refused["error"]["code"] == "forbidden"
    assert claim(a, incident, "scribe", user="walter")["ok"]  # the IC may


def test_handing_a_role_to_someone_outside_the_room_is_refused(app, room) -> None:
    incident, a, _ = room
    add_user(app, "walter", "Walter Skinner")
    ack = claim(a, incident, "scribe", user="walter")
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "user"
    assert "has not joined" in ack["error"]["message"]


def test_a_role_that_does_not_exist_is_refused(room) -> None:
    incident, a, _ = room
    ack = claim(a, incident, "hero")
    assert ack["error"] == {
        "code": "invalid",
        "field": "role",
        "message": ack["error"]["message"],
    }
    assert "incident_commander" in ack["error"]["message"]


def test_release_by_holder_and_refusal_for_others(app, room) -> None:
    incident, a, b = room
    assert claim(a, incident, "scribe")["ok"]
    refused = change(b, "role.release", {"incident_id": incident, "role": "scribe"})
    assert refused["error"]["code"] == "forbidden"
    released = change(a, "role.release", {"incident_id": incident, "role": "scribe"})
    assert holders(released)["scribe"] is None
    assert event_types(b) == ["role.changed", "role.changed"]
    again = change(a, "role.release", {"incident_id": incident, "role": "scribe"})
    assert again["error"]["code"] == "invalid"
