"""Severity and status through incident.update, all-clear by the IC (confirmed by a second
participant for SEV1/SEV2), reopening."""

from tests.conftest import add_user, declare
from tests.socket.helpers import call, change, join_all, received, resolve


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


def test_a_sev2_all_clear_waits_for_a_second_participant_and_records_both(room, clock) -> None:
    incident, a, b = room
    clock.advance(hours=2)
    asked = all_clear(a, incident, postmortem_owner="fox")
    assert asked["incident"]["status"] == "declared"
    request = asked["incident"]["all_clear_request"]
    assert request["by"]["username"] == "dana" and request["at"] == "2026-03-14T04:00:00Z"
    [event] = received(b)
    assert event["type"] == "incident.all_clear_asked"
    assert event["data"]["entry"]["text"] == (
        "Dana Scully called all-clear on this SEV2: waiting for a second participant to "
        "confirm recovery."
    )
    assert all_clear(a, incident)["error"]["message"] == (
        "The all-clear is already waiting for a second confirmation."
    )
    clock.advance(minutes=3)
    ack = change(b, "incident.all_clear_confirm", {"incident_id": incident})
    assert ack["incident"]["status"] == "resolved"
    assert ack["incident"]["all_clear_request"] is None
    assert ack["incident"]["postmortem_due_at"] == "2026-03-16T04:03:00Z"
    assert ack["incident"]["postmortem_owner"]["username"] == "fox"
    [event] = received(a)[-1:]
    assert event["type"] == "incident.all_clear" and event["actor"]["username"] == "fox"
    assert event["data"]["entry"]["kind"] == "all_clear"
    assert event["data"]["entry"]["text"] == (
        "Dana Scully called all-clear, confirmed by Fox Mulder. Post-mortem owner: Fox Mulder, "
        "due within 48 hours. Post-mortem required: It took 4.1 hours of engineering time, "
        "more than 4 hours."
    )
    done = {i["text"]: i for i in state(a, incident)["checklist"] if i["done"]}
    assert done["IC calls all-clear"]["done_by"]["username"] == "dana"
    assert done["Confirm resolution with more than one person"]["done_by"]["username"] == "fox"
    assert all_clear(a, incident)["error"]["code"] == "invalid"


def test_the_one_who_called_the_all_clear_cannot_confirm_it(room) -> None:
    incident, a, b = room
    refused = change(a, "incident.all_clear_confirm", {"incident_id": incident})
    assert refused["error"]["message"] == "No all-clear is waiting for confirmation."
    all_clear(a, incident)
    received(b)
    refused = change(a, "incident.all_clear_confirm", {"incident_id": incident})
    assert refused["error"]["code"] == "forbidden"
    assert state(a, incident)["incident"]["status"] == "declared" and received(b) == []


def test_the_ic_may_end_a_sev1_alone_with_a_reason_that_is_kept(room) -> None:
    incident, a, b = room
    update(a, incident, severity="SEV1")
    blank = all_clear(a, incident, override_reason="   ")
    assert blank["error"]["field"] == "override_reason"
    ack = all_clear(a, incident, override_reason="Fox went off shift; dashboards green 30 min")
    assert ack["incident"]["status"] == "resolved"
    assert received(b)[-1]["data"]["entry"]["text"].startswith(
        "Dana Scully called all-clear, without a second confirmation (reason: Fox went off "
        "shift; dashboards green 30 min)."
    )


def test_not_over_yet_withdraws_the_all_clear_with_a_reason(room) -> None:
    incident, a, b = room
    all_clear(a, incident)
    refused = change(b, "incident.all_clear_withdraw", {"incident_id": incident})
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "reason")
    received(a)
    ack = change(
        b, "incident.all_clear_withdraw", {"incident_id": incident, "reason": "EU still 5xx"}
    )
    assert ack["incident"]["all_clear_request"] is None
    [event] = received(a)
    assert event["type"] == "incident.all_clear_withdrawn"
    assert event["data"]["entry"]["text"] == (
        "Fox Mulder withdrew the all-clear: not over yet (reason: EU still 5xx)."
    )
    all_clear(a, incident)
    ack = update(a, incident, status="investigating")
    assert ack["incident"]["all_clear_request"] is None
    assert (
        "the all-clear waiting for confirmation lapsed" in received(b)[-1]["data"]["entry"]["text"]
    )


def test_a_sev3_all_clear_needs_no_second_person(room) -> None:
    incident, a, _ = room
    update(a, incident, severity="SEV3")
    assert all_clear(a, incident)["incident"]["status"] == "resolved"


def test_the_postmortem_owner_must_be_in_the_room(app, room) -> None:
    incident, a, _ = room
    add_user(app, "walter", "Walter Skinner")
    ack = all_clear(a, incident, postmortem_owner="walter")
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "postmortem_owner"
    assert state(a, incident)["incident"]["status"] == "declared"


def test_reopening_a_resolved_incident_is_allowed_and_recorded(room, clock) -> None:
    incident, a, b = room
    resolve(a, b, incident)
    clock.advance(minutes=20)
    ack = update(a, incident, status="investigating")
    assert ack["incident"]["status"] == "investigating"
    assert ack["incident"]["status_reached"]["resolved"] == "2026-03-14T02:00:00Z"
    last = received(b)[-1]
    assert last["data"]["entry"]["text"] == (
        "Dana Scully reopened the incident: Resolved → Investigating"
    )


def test_after_all_clear_the_incident_moves_on_to_postmortem_then_closed(room) -> None:
    incident, a, b = room
    resolve(a, b, incident)
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
    incident, a, b = room
    resolve(a, b, incident)
    [item] = [i for i in state(a, incident)["checklist"] if i["text"] == "IC calls all-clear"]
    assert item["done"] and item["done_by"]["username"] == "dana"


def test_a_sev1_all_clear_waits_for_a_second_person_and_records_both(app, clock, dana, fox):
    incident = declare(app, "dana", severity="SEV1")
    a, b = join_all(app, incident, "dana", "fox")
    assert all_clear(a, incident)["incident"]["status"] == "declared"
    assert state(b, incident)["incident"]["all_clear_request"]["by"]["username"] == "dana"
    ack = change(b, "incident.all_clear_confirm", {"incident_id": incident})
    assert ack["incident"]["status"] == "resolved"
    assert received(a)[-1]["data"]["entry"]["text"].startswith(
        "Dana Scully called all-clear, confirmed by Fox Mulder."
    )
