"""Joining a room, the event log, idempotent ops, and refusing what must be refused."""

import uuid

import pytest

from tests.conftest import add_user, declare, dispose, make_app, socket_client
from tests.socket.helpers import add_entry, call, change, join_all, received
from tests.support.live import wait_until


@pytest.fixture
def incident(app, dana, fox) -> int:
    return declare(app, "dana", severity="SEV2")


@pytest.fixture
def room(app, incident):
    """Dana and Fox, both joined to the incident."""
    a, b = socket_client(app, "dana"), socket_client(app, "fox")
    assert call(a, "join", {"incident_id": incident})["ok"]
    assert call(b, "join", {"incident_id": incident})["ok"]
    a.get_received(), b.get_received()
    return a, b


def test_anonymous_connection_is_refused(app, incident) -> None:
    client = socketio_anonymous(app)
    assert not client.is_connected()


def socketio_anonymous(app):
    from incident_room.extensions import socketio

    return socketio.test_client(app, flask_test_client=app.test_client())


def test_join_acks_the_full_room_state(app, incident) -> None:
    client = socket_client(app, "dana")
    ack = call(client, "join", {"incident_id": incident})
    assert ack["ok"] and ack["seq"] == 1  # the declarer is already a participant
    assert ack["incident"]["title"] == "Checkout API returning 502s"
    assert ack["timeline"][0]["kind"] == "status"
    assert ack["roles"][0]["holder"]["username"] == "dana"
    assert len(ack["checklist"]) == 10
    assert {p["username"] for p in ack["presence"]["users"]} == {"dana"}


def test_entries_reach_everyone_in_the_room_in_seq_order(room, incident) -> None:
    a, b = room
    for n in range(3):
        add_entry(a, incident, f"entry {n}")
    events_a, events_b = received(a), received(b)
    assert [e["data"]["entry"]["text"] for e in events_b] == ["entry 0", "entry 1", "entry 2"]
    assert [e["seq"] for e in events_a] == [e["seq"] for e in events_b]
    seqs = [e["seq"] for e in events_b]
    assert seqs == list(range(seqs[0], seqs[0] + 3))


def test_late_joiner_gets_everything_and_since_gets_exactly_the_missed_events(
    app, room, incident
) -> None:
    a, _ = room
    first = add_entry(a, incident, "before")
    seq_before = call(a, "join", {"incident_id": incident})["seq"]
    add_entry(a, incident, "missed 1")
    add_entry(a, incident, "missed 2")
    late = socket_client(app, "fox")
    state = call(late, "join", {"incident_id": incident})
    assert [e["text"] for e in state["timeline"]][-3:] == ["before", "missed 1", "missed 2"]
    resync = call(late, "join", {"incident_id": incident, "since": seq_before})
    assert [e["data"]["entry"]["text"] for e in resync["events"]] == ["missed 1", "missed 2"]
    assert resync["seq"] == resync["events"][-1]["seq"]
    assert first["id"] in {e["id"] for e in state["timeline"]}


def test_same_op_id_twice_is_applied_once_and_acked_the_same(room, incident) -> None:
    a, b = room
    payload = {"incident_id": incident, "op_id": str(uuid.uuid4()), "kind": "note", "text": "once"}
    first = call(a, "timeline.add", payload)
    second = call(a, "timeline.add", payload)
    assert first == second
    state = call(a, "join", {"incident_id": incident})
    assert [e["text"] for e in state["timeline"]].count("once") == 1
    assert len(received(b)) == 1


def test_every_ack_tells_the_server_time_for_the_browser_to_correct_its_skew(
    app, clock, dana
) -> None:
    incident = declare(app, "dana")
    [a] = join_all(app, incident, "dana")
    clock.advance(minutes=3)
    left = call(a, "leave", {"incident_id": incident})
    assert left["ok"] and left["server_now"] == "2026-03-14T02:03:00Z"
    refused = call(a, "timeline.add", {"incident_id": incident})
    assert refused["ok"] is False and refused["server_now"] == "2026-03-14T02:03:00Z"


def test_someone_elses_op_id_is_not_replayed_to_them(room, incident) -> None:
    a, b = room
    payload = {"incident_id": incident, "op_id": str(uuid.uuid4()), "kind": "note", "text": "x"}
    assert call(a, "timeline.add", payload)["ok"]
    refused = call(b, "timeline.add", payload)
    assert refused["error"]["field"] == "op_id"


def test_events_for_a_room_not_joined_are_forbidden(app, incident) -> None:
    outsider = socket_client(app, "fox")
    ack = change(outsider, "timeline.add", {"incident_id": incident, "kind": "note", "text": "hi"})
    assert ack["error"]["code"] == "forbidden"


def test_join_of_a_missing_incident_is_not_found(app, incident) -> None:
    ack = call(socket_client(app, "dana"), "join", {"incident_id": 999})
    assert ack["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "note", "text": ""}, "text"),
        ({"kind": "note", "text": "   "}, "text"),
        ({"kind": "note", "text": 12}, "text"),
        ({"kind": "gossip", "text": "x"}, "kind"),
        ({"kind": "all_clear", "text": "x"}, "kind"),
        ({"kind": "note", "text": "x", "occurred_at": "yesterday"}, "occurred_at"),
        ({"kind": "note", "text": "x", "occurred_at": "2026-03-14T02:00:00"}, "occurred_at"),
        ({"kind": "note", "text": "x", "entry_id": "not-a-uuid"}, "entry_id"),
        ({"kind": "note", "text": "x", "op_id": "nope"}, "op_id"),
        ({"kind": "note", "text": "x", "op_id": None}, "op_id"),
        ({"kind": "note", "text": "x", "incident_id": "1"}, "incident_id"),
        ({"kind": "note", "text": "x", "incident_id": True}, "incident_id"),
    ],
)
def test_malformed_timeline_add_is_invalid_and_changes_nothing(room, incident, payload, field):
    a, b = room
    ack = call(a, "timeline.add", {"incident_id": incident, "op_id": str(uuid.uuid4()), **payload})
    assert ack["ok"] is False
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", field)
    assert received(b) == []


@pytest.mark.parametrize(
    ("event", "payload", "field"),
    [
        ("timeline.edit", {"entry_id": str(uuid.uuid4()), "base_version": "1"}, "base_version"),
        ("timeline.edit", {"entry_id": 7, "base_version": 1}, "entry_id"),
        ("timeline.delete", {"entry_id": str(uuid.uuid4())}, "base_version"),
        ("role.claim", {"role": "hero"}, "role"),
        ("role.claim", {"role": "scribe", "user": "nobody-by-that-name"}, "user"),
        ("role.release", {"role": ["scribe"]}, "role"),
        ("checklist.toggle", {"item_id": 1, "done": "yes"}, "done"),
        ("checklist.toggle", {"item_id": "1", "done": True}, "item_id"),
        ("checklist.add", {"text": ""}, "text"),
        ("checklist.reorder", {"item_ids": "1,2"}, "item_ids"),
        ("incident.update", {"severity": "SEV0"}, "severity"),
        ("incident.update", {"title": ""}, "title"),
        ("incident.escalate", {}, "reason"),
        ("incident.all_clear", {"postmortem_owner": 3.5}, "postmortem_owner"),
        ("member.invite", {"user": None}, "user"),
        ("presence.editing", {"entry_id": "entry-one"}, "entry_id"),
    ],
)
def test_every_malformed_event_is_invalid_and_changes_nothing(
    room, incident, event, payload, field
):
    a, b = room
    seq = call(a, "join", {"incident_id": incident})["seq"]
    b.get_received()
    ack = call(a, event, {"incident_id": incident, "op_id": str(uuid.uuid4()), **payload})
    assert ack["ok"] is False
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", field)
    assert received(b) == []
    assert call(a, "join", {"incident_id": incident})["seq"] == seq


@pytest.mark.parametrize("payload", [None, "text", 5, ["incident_id", 1]])
def test_payload_that_is_not_an_object_is_invalid(room, payload) -> None:
    a, _ = room
    ack = call(a, "timeline.add", payload)
    assert ack["error"]["code"] == "invalid"


def test_oversized_text_and_payload_are_too_large(app, room, incident) -> None:
    a, b = room
    long_text = "x" * (app.config["MAX_TEXT_LENGTH"] + 1)
    ack = change(a, "timeline.add", {"incident_id": incident, "kind": "note", "text": long_text})
    assert ack["error"]["code"] == "too_large"
    huge = "y" * (app.config["MAX_EVENT_BYTES"] + 1)
    ack = change(a, "timeline.add", {"incident_id": incident, "kind": "note", "text": huge})
    assert ack["error"]["code"] == "too_large"
    assert received(b) == []


def test_a_flood_of_events_is_rate_limited(app, room, incident) -> None:
    a, _ = room
    limit = app.config["RATE_LIMIT_EVENTS"]
    acks = [
        change(a, "timeline.add", {"incident_id": incident, "kind": "note", "text": f"{n}"})
        for n in range(limit + 3)
    ]
    assert all(ack["ok"] for ack in acks[:limit])
    assert acks[-1]["error"]["code"] == "rate_limited"


def test_private_incident_does_not_exist_for_outsiders(app, dana, fox) -> None:
    secret = declare(app, "dana", title="Leaked credentials", private=True)
    fox_socket = socket_client(app, "fox")
    assert call(fox_socket, "join", {"incident_id": secret})["error"]["code"] == "not_found"
    from tests.conftest import logged_in_client

    fox_http = logged_in_client(app, "fox")
    assert fox_http.get(f"/incidents/{secret}").status_code == 404
    assert fox_http.get(f"/api/incidents/{secret}").status_code == 404
    assert "Leaked credentials" not in fox_http.get("/incidents").get_data(as_text=True)
    listed = fox_http.get("/api/incidents").get_json()["incidents"]
    assert secret not in [i["id"] for i in listed]


def test_invited_member_gets_in_and_removal_is_an_event(app, dana, fox) -> None:
    secret = declare(app, "dana", title="Leaked credentials", private=True)
    add_user(app, "gil")
    owner = socket_client(app, "dana")
    assert call(owner, "join", {"incident_id": secret})["ok"]
    ack = change(owner, "member.invite", {"incident_id": secret, "user": "fox"})
    assert ack["ok"] and ack["members"][0]["username"] == "fox"
    fox_socket = socket_client(app, "fox")
    state = call(fox_socket, "join", {"incident_id": secret})
    assert state["ok"] and [m["username"] for m in state["members"]] == ["fox"]
    refused = change(fox_socket, "member.invite", {"incident_id": secret, "user": "gil"})
    assert refused["error"]["code"] == "forbidden"
    assert change(owner, "member.remove", {"incident_id": secret, "user": "fox"})["ok"]
    assert not fox_socket.is_connected()  # no longer hears the private incident
    types = [e["type"] for e in received(owner)]
    assert "member.invited" in types and "member.removed" in types
    assert call(socket_client(app, "fox"), "join", {"incident_id": secret})["error"]["code"] == (
        "not_found"
    )


def test_presence_shows_who_is_here_and_editing(app, room, incident) -> None:
    a, b = room
    entry = add_entry(a, incident, "look at me")
    b.get_received()
    assert call(a, "presence.editing", {"incident_id": incident, "entry_id": entry["id"]})["ok"]
    latest = received(b, "presence")[-1]
    assert {u["username"] for u in latest["users"]} == {"dana", "fox"}
    assert [u["username"] for u in latest["editing"][entry["id"]]] == ["dana"]
    a.disconnect()
    after = received(b, "presence")[-1]
    assert [u["username"] for u in after["users"]] == ["fox"]
    assert after["editing"] == {}


def test_api_reads_state_and_events_with_the_same_authorisation(app, room, incident) -> None:
    from tests.conftest import logged_in_client

    a, _ = room
    add_entry(a, incident, "via socket")
    client = logged_in_client(app, "fox")
    state = client.get(f"/api/incidents/{incident}").get_json()
    assert state["timeline"][-1]["text"] == "via socket"
    events = client.get(f"/api/incidents/{incident}/events?since=1").get_json()
    assert [e["seq"] for e in events["events"]] == list(range(2, state["seq"] + 1))
    assert client.get(f"/api/incidents/{incident}/events?since=x").status_code == 400


def test_a_crowd_joining_at_once_gets_the_room_in_one_presence_message(sqlite_url) -> None:
    app = make_app(sqlite_url, PRESENCE_COALESCE_SECONDS=0.5)
    try:
        crowd = ["dana", "fox", "gil", "hal", "ivy"]
        for username in crowd:
            add_user(app, username)
        incident = declare(app, "dana")
        (first,) = join_all(app, incident, "dana")
        messages: list = []

        def who_is_here() -> list[str]:
            messages.extend(received(first, "presence"))
            return sorted(user["username"] for user in messages[-1]["users"]) if messages else []

        wait_until(lambda: who_is_here() == ["dana"], message="dana's own presence")
        messages.clear()

        join_all(app, incident, *crowd[1:])
        wait_until(lambda: who_is_here() == crowd, message="the whole crowd is here")

        assert len(messages) < len(crowd) - 1
    finally:
        dispose(app)
