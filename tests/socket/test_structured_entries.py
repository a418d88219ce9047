"""Decisions, hypotheses, actions and updates: fields checked on the server, edited live."""

import pytest

from tests.conftest import add_user, declare
from tests.socket.helpers import add_entry, call, change, join_all, received


def add(client, incident, kind, text, **details):
    return change(
        client,
        "timeline.add",
        {"incident_id": incident, "kind": kind, "text": text, "details": details},
    )


def edit(client, incident, entry, base_version, **fields):
    payload = {"incident_id": incident, "entry_id": entry["id"], "base_version": base_version}
    return change(client, "timeline.edit", {**payload, **fields})


def test_a_decision_keeps_rationale_alternatives_and_who_decided(room) -> None:
    incident, a, b = room
    ack = add(
        a,
        incident,
        "decision",
        "Roll back deploy 42",
        rationale="Errors started with it",
        alternatives="Hotfix forward; fail over to eu-west",
        decided_by="fox",
    )
    assert ack["entry"]["details"] == {
        "rationale": "Errors started with it",
        "alternatives": "Hotfix forward; fail over to eu-west",
        "decided_by": {
            "id": ack["entry"]["details"]["decided_by"]["id"],
            "username": "fox",
            "display_name": "Fox Mulder",
        },
    }
    assert received(b)[0]["data"]["entry"]["details"]["rationale"] == "Errors started with it"


def test_new_hypotheses_and_actions_start_open(room) -> None:
    incident, a, _ = room
    hypothesis = add(a, incident, "hypothesis", "Connection pool exhausted")["entry"]
    action = add(a, incident, "action", "Page the database on-call")["entry"]
    assert hypothesis["details"] == {"status": "open", "evidence_entry_id": None}
    assert action["details"] == {"owner": None, "status": "todo", "eta": None}


def test_a_hypothesis_is_settled_by_an_evidence_entry(room) -> None:
    incident, a, b = room
    hypothesis = add(a, incident, "hypothesis", "Connection pool exhausted")["entry"]
    evidence = add_entry(b, incident, "pg_stat_activity shows 500/500 connections")
    ack = edit(
        b,
        incident,
        hypothesis,
        1,
        details={"status": "confirmed", "evidence_entry_id": evidence["id"]},
    )
    assert ack["entry"]["details"] == {"status": "confirmed", "evidence_entry_id": evidence["id"]}


def test_an_action_has_an_owner_in_the_room_a_status_and_an_eta(app, room) -> None:
    incident, a, _ = room
    action = add(
        a, incident, "action", "Scale the pool", owner="fox", eta="2026-03-14T03:00:00+01:00"
    )
    details = action["entry"]["details"]
    assert details["owner"]["username"] == "fox" and details["eta"] == "2026-03-14T02:00:00Z"
    done = edit(a, incident, action["entry"], 1, details={"status": "doing"})
    assert done["entry"]["details"]["status"] == "doing"
    assert done["entry"]["details"]["owner"]["username"] == "fox"
    add_user(app, "walter", "Walter Skinner")
    outsider = edit(a, incident, done["entry"], 2, details={"owner": "walter"})
    assert outsider["error"]["code"] == "invalid"
    assert outsider["error"]["field"] == "details.owner"


@pytest.mark.parametrize(
    ("kind", "details", "field"),
    [
        ("note", {"status": "open"}, "details.status"),
        ("hypothesis", {"status": "maybe"}, "details.status"),
        ("hypothesis", {"evidence_entry_id": "not-a-uuid"}, "details.evidence_entry_id"),
        ("action", {"owner": "nobody-here"}, "details.owner"),
        ("action", {"eta": "tomorrow"}, "details.eta"),
        ("decision", {"rationale": 42}, "details.rationale"),
        ("update", {"audience": "everyone"}, "details.audience"),
        ("update", "stakeholders", "details"),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(room, kind, details, field) -> None:
    incident, a, b = room
    ack = change(
        a,
        "timeline.add",
        {"incident_id": incident, "kind": kind, "text": "x", "details": details},
    )
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", field)
    assert received(b) == []


def test_evidence_must_come_from_the_same_incident(app, room) -> None:
    incident, a, _ = room
    other = declare(app, "dana", title="Other", severity="SEV3")
    [c] = join_all(app, other, "dana")
    foreign = add_entry(c, other, "Unrelated graph")
    ack = add(a, incident, "hypothesis", "Cache stampede", evidence_entry_id=foreign["id"])
    assert ack["error"]["field"] == "details.evidence_entry_id"


def test_changing_the_kind_keeps_text_and_history(room) -> None:
    incident, a, _ = room
    note = add_entry(a, incident, "Scale the connection pool to 800")
    ack = edit(a, incident, note, 1, kind="action", details={"owner": "dana"})
    entry = ack["entry"]
    assert entry["kind"] == "action" and entry["text"] == "Scale the connection pool to 800"
    assert entry["details"]["owner"]["username"] == "dana"
    history = call(a, "timeline.history", {"incident_id": incident, "entry_id": note["id"]})
    assert [r["after"]["kind"] for r in history["revisions"]] == ["note", "action"]


def test_different_fields_edited_at_once_merge_and_the_same_field_conflicts(room) -> None:
    incident, a, b = room
    action = add(a, incident, "action", "Fail over to the replica")["entry"]
    assert edit(a, incident, action, 1, details={"status": "doing"})["ok"]
    merged = edit(b, incident, action, 1, details={"owner": "fox"})
    assert merged["merged"] is True
    assert merged["entry"]["details"]["status"] == "doing"
    assert merged["entry"]["details"]["owner"]["username"] == "fox"
    clash = edit(b, incident, action, 1, details={"status": "done"})
    assert clash["error"]["code"] == "conflict"
    assert clash["error"]["field"] == "details.status"
    assert clash["error"]["current"]["details"]["status"] == "doing"
