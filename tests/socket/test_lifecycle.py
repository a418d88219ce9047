"""Severity and status through incident.update, all-clear by the IC, reopening."""

from tests.conftest import add_user
from tests.socket.helpers import call, change, received


def update(client, incident, **fields):
    return change(client, "incident.update", {"incident_id": incident, **fields})


def all_clear(client, incident, **fields):
    return change(client, "incident.all_clear", {"incident_id": incident, **fields})


def state(client, incident) -> dict:
    return call(client, "join", {"incident_id": incident})


def test_a_status_change_is_seen_by_everyone_and_written_on_the_timeline(room, clock) -> None:
    incident, a, b = room
    clock.advance(minutes=7)
    ack = update(a, incident, status="investigating")
    assert ack["incident"]["status"] == "investigating"
    assert ack["incident"]["status_reached"]["investigating"] == "2026-03-14T02:07:00Z"
    [event] = received(b)
    assert event["type"] == "incident.updated"
    assert event["data"]["incident"]["status"] == "investigating"
    assert event["data"]["entry"]["kind"] == "status"
    assert event["data"]["entry"]["text"] == "Dana Scully changed status: Declared → Investigating"


def test_a_severity_change_is_written_on_the_timeline(room) -> None:
    incident, a, b = room
    update(b, incident, severity="SEV1")
    [event] = received(a)
    assert event["data"]["incident"]["severity"] == "SEV1"
    assert event["data"]["entry"]["text"] == "Fox Mulder changed severity: SEV2 → SEV1"


def test_status_cannot_jump_from_declared_to_closed(room) -> None:
    incident, a, b = room
    seq = state(a, incident)["seq"]
    ack = update(a, incident, status="closed")
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "status"
    assert "cannot go from Declared to Closed" in ack["error"]["message"]
    after = state(a, incident)
    assert after["incident"]["status"] == "declared" and after["seq"] == seq
    assert received(b) == []


def test_first_time_each_status_is_reached_is_kept(room, clock) -> None:
    incident, a, _ = room
    update(a, incident, status="identified")
    clock.advance(minutes=10)
    update(a, incident, status="investigating")
    update(a, incident, status="identified")
    reached = state(a, incident)["incident"]["status_reached"]
    assert reached["identified"] == "2026-03-14T02:00:00Z"
    assert reached["investigating"] == "2026-03-14T02:10:00Z"
    assert reached["declared"] == "2026-03-14T02:00:00Z"


def test_only_the_incident_commander_calls_all_clear(room) -> None:
    incident, _, b = room
    for ack in (all_clear(b, incident), update(b, incident, status="resolved")):
        assert ack["error"]["code"] == "forbidden"
        assert ack["error"]["message"] == "Only the Incident Commander can call all-clear."
    assert state(b, incident)["incident"]["status"] == "declared"


def test_all_clear_resolves_posts_an_entry_and_sets_the_postmortem_due(room, clock) -> None:
    incident, a, b = room
    clock.advance(hours=2)
    ack = all_clear(a, incident, postmortem_owner="fox")
    assert ack["incident"]["status"] == "resolved"
    assert ack["incident"]["postmortem_due_at"] == "2026-03-16T04:00:00Z"
    assert ack["incident"]["postmortem_owner"]["username"] == "fox"
    [event] = received(b)
    assert event["type"] == "incident.all_clear"
    assert event["data"]["entry"]["kind"] == "all_clear"
    assert "Post-mortem owner: Fox Mulder" in event["data"]["entry"]["text"]
    again = all_clear(a, incident)
    assert again["error"]["code"] == "invalid"


def test_the_postmortem_owner_must_be_in_the_room(app, room) -> None:
    incident, a, _ = room
    add_user(app, "walter", "Walter Skinner")
    ack = all_clear(a, incident, postmortem_owner="walter")
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "postmortem_owner"
    assert state(a, incident)["incident"]["status"] == "declared"


def test_reopening_a_resolved_incident_is_allowed_and_recorded(room, clock) -> None:
    incident, a, b = room
    all_clear(a, incident)
    clock.advance(minutes=20)
    ack = update(a, incident, status="investigating")
    assert ack["incident"]["status"] == "investigating"
    assert ack["incident"]["status_reached"]["resolved"] == "2026-03-14T02:00:00Z"
    last = received(b)[-1]
    assert last["data"]["entry"]["text"] == (
        "Dana Scully reopened the incident: Resolved → Investigating"
    )


def test_after_all_clear_the_incident_moves_on_to_postmortem_then_closed(room) -> None:
    incident, a, _ = room
    all_clear(a, incident)
    assert update(a, incident, status="postmortem")["incident"]["status"] == "postmortem"
    assert update(a, incident, status="closed")["incident"]["status"] == "closed"
    assert update(a, incident, status="investigating")["error"]["code"] == "invalid"


def test_an_unknown_severity_or_status_is_refused(room) -> None:
    incident, a, _ = room
    assert update(a, incident, severity="SEV9")["error"]["field"] == "severity"
    assert update(a, incident, status="panicking")["error"]["field"] == "status"


def test_lowering_severity_is_the_ics_call_or_needs_a_reason(room) -> None:
    incident, a, b = room
    update(a, incident, severity="SEV1")
    received(a), received(b)
    refused = update(b, incident, severity="SEV2")
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "reason")
    assert "Only the Incident Commander lowers SEV1 to SEV2" in refused["error"]["message"]
    assert state(b, incident)["incident"]["severity"] == "SEV1" and received(a) == []
    ack = update(b, incident, severity="SEV2", reason="Only one region is affected")
    assert ack["incident"]["severity"] == "SEV2"
    [event] = received(a)
    assert event["data"]["entry"]["text"] == (
        "Fox Mulder lowered severity: SEV1 → SEV2 (reason: Only one region is affected)"
    )
    assert update(a, incident, severity="SEV3")["ok"]  # the IC decides


def test_the_all_clear_ticks_the_ics_checklist_item(room) -> None:
    incident, a, _ = room
    assert all_clear(a, incident)["ok"]
    [item] = [i for i in state(a, incident)["checklist"] if i["text"] == "IC calls all-clear"]
    assert item["done"] and item["done_by"]["username"] == "dana"
