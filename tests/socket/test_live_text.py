"""Live text over Socket.IO (docs/protocol-live-text.md): editors with their own CRDT
documents converge, a burst becomes one revision, other edits reach the live document,
and bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from incident_room.extensions import db
from incident_room.models import Incident, LiveTextUpdate
from incident_room.realtime.jobs import JOBS, run_once
from incident_room.services.integrity import verify_incident
from tests.conftest import socket_client
from tests.socket.helpers import add_entry, alone, call, change, received
from tests.support.live_text import Editor, encoded


def editor(client: Any, incident: int, doc: str) -> Editor:
    return Editor(lambda event, payload: call(client, event, payload), incident, doc)


def relayed(client: Any, editor_: Editor) -> list[dict[str, Any]]:
    """Apply the updates relayed to `client` to its editor; the messages."""
    messages = received(client, "live_text.update")
    for message in messages:
        editor_.apply(message["update"])
    return messages


def settle(app) -> None:
    job = next(job for job in JOBS if job.name == "live_text_bursts")
    run_once(app, job)


def history(client: Any, incident: int, entry_id: str) -> list[dict[str, Any]]:
    ack = call(client, "timeline.history", {"incident_id": incident, "entry_id": entry_id})
    assert ack["ok"], ack
    return ack["revisions"]


@pytest.fixture
def live_entry(room):
    incident, a, b = room
    entry = add_entry(a, incident, "Checkout 502s")
    a.get_received(), b.get_received()
    ed_a, ed_b = (
        editor(a, incident, f"entry:{entry['id']}"),
        editor(b, incident, f"entry:{entry['id']}"),
    )
    assert ed_a.open()["ok"] and ed_b.open()["ok"]
    a.get_received(), b.get_received()
    return incident, entry, (a, ed_a), (b, ed_b)


def test_opening_gives_the_entry_text_and_version(live_entry) -> None:
    _, entry, (_, ed_a), (_, ed_b) = live_entry
    assert ed_a.value == ed_b.value == "Checkout 502s"
    ack = ed_a.open()  # again: nothing new either way
    assert ack["ok"] and ack["version"] == 1 and ack["doc"] == f"entry:{entry['id']}"
    assert ed_a.value == "Checkout 502s"


def test_concurrent_typing_converges_and_is_relayed_with_the_server_named_sender(
    live_entry,
) -> None:
    _, _, (a, ed_a), (b, ed_b) = live_entry
    assert ed_a.type(0, "EU ")["ok"]
    assert ed_b.type(len(ed_b.value), " since 02:10")["ok"]  # typed before seeing Dana's
    from_a, from_b = relayed(b, ed_b), relayed(a, ed_a)
    assert ed_a.value == ed_b.value == "EU Checkout 502s since 02:10"
    # Each is sent the other's update once, named by the server, and never their own.
    assert [m["user"]["username"] for m in from_a] == ["dana"]
    assert [m["user"]["username"] for m in from_b] == ["fox"]


def test_a_closed_burst_is_one_revision_crediting_both_and_the_chain_verifies(
    app, live_entry
) -> None:
    incident, entry, (a, ed_a), (b, ed_b) = live_entry
    for word in ("EU ", "only "):
        assert ed_a.type(0, word)["ok"]
    assert ed_b.type(len(ed_b.value), "!")["ok"]
    relayed(a, ed_a), relayed(b, ed_b)
    assert ed_a.close()["ok"]
    edits = [e for e in received(b) if e["type"] == "timeline.edited"]
    assert len(edits) == 1
    data = edits[0]["data"]
    assert data["live"] is True and data["entry"]["version"] == 2
    assert data["entry"]["text"] == ed_b.value == "only EU Checkout 502s!"
    assert {author["username"] for author in data["authors"]} == {"dana", "fox"}
    assert [r["version"] for r in history(a, incident, entry["id"])] == [1, 2]
    a.get_received()
    assert ed_b.close()["ok"]  # nothing typed since: no second revision
    assert not [e for e in received(a) if e["type"] == "timeline.edited"]
    with app.app_context():
        assert verify_incident(db.session.get(Incident, incident)).intact


def test_an_idle_burst_settles_once_whatever_runs_the_job(app, clock, live_entry) -> None:
    incident, entry, (a, ed_a), _ = live_entry
    assert ed_a.type(0, "EU ")["ok"]
    settle(app)
    assert not [e for e in received(a) if e["type"] == "timeline.edited"]  # not idle yet
    clock.advance(seconds=3)
    settle(app), settle(app)
    edits = [e for e in received(a) if e["type"] == "timeline.edited"]
    assert [e["data"]["entry"]["text"] for e in edits] == ["EU Checkout 502s"]
    assert [r["version"] for r in history(a, incident, entry["id"])] == [1, 2]


def test_a_burst_that_goes_on_commits_at_the_cap(app, clock, live_entry) -> None:
    _, _, (a, ed_a), _ = live_entry
    for n in range(4):
        assert ed_a.type(0, f"{n}")["ok"]
        clock.advance(seconds=20)
    edits = [e for e in received(a) if e["type"] == "timeline.edited"]
    assert [e["data"]["entry"]["text"] for e in edits] == ["3210Checkout 502s"]


def test_a_timeline_edit_during_a_live_session_merges_and_reaches_the_editors(
    live_entry,
) -> None:
    incident, entry, (a, ed_a), (b, ed_b) = live_entry
    assert ed_a.type(0, "EU ")["ok"]  # live, not yet committed
    relayed(b, ed_b)
    ack = change(
        b,
        "timeline.edit",
        {
            "incident_id": incident,
            "entry_id": entry["id"],
            "base_version": 1,
            "text": "Checkout 502s and 504s",
            "kind": "decision",
        },
    )
    assert ack["ok"], ack
    assert ack["entry"]["text"] == "EU Checkout 502s and 504s" and ack["entry"]["version"] == 3
    # The editors learn of it from the room's event and re-open.
    assert ed_a.open()["ok"] and ed_b.open()["ok"]
    assert ed_a.value == ed_b.value == "EU Checkout 502s and 504s"
    assert ed_a.type(len(ed_a.value), ".")["ok"]
    assert ed_a.close()["ok"]
    assert history(a, incident, entry["id"])[-1]["after"]["text"] == "EU Checkout 502s and 504s."


def test_the_cursor_of_another_editor_is_relayed_and_cleared_when_they_leave(
    live_entry,
) -> None:
    _, _, (a, ed_a), (b, _) = live_entry
    position = encoded(b"\x01\x02\x03")
    assert ed_a.cursor(position, position)["ok"]
    (cursor,) = received(b, "live_text.cursor")
    assert cursor["user"]["display_name"] == "Dana Scully"
    assert (cursor["anchor"], cursor["head"]) == (position, position)
    a.disconnect()
    (gone,) = received(b, "live_text.cursor")
    assert (gone["client"], gone["anchor"], gone["head"]) == (cursor["client"], None, None)


def test_a_document_converges_after_an_editor_was_offline(live_entry) -> None:
    _, _, (a, ed_a), (b, ed_b) = live_entry
    offline = ed_b.edit(lambda text: text.insert(0, "Offline: "))  # never sent
    assert ed_a.type(len(ed_a.value), " (online)")["ok"]
    b.get_received()  # missed while away
    assert ed_b.open()["ok"]  # back: both sides send what the other lacks
    assert offline
    relayed(a, ed_a)
    assert ed_a.value == ed_b.value == "Offline: Checkout 502s (online)"
    assert ed_b.open()["ok"] and ed_b.value.count("Offline: ") == 1


def test_many_updates_are_folded_and_load_the_same(app, live_entry) -> None:
    _, _, _, (b, ed_b) = live_entry
    for n in range(100):
        assert ed_b.type(len(ed_b.value), str(n % 10))["ok"], n
    fresh = editor(b, live_entry[0], ed_b.name)
    assert fresh.open()["ok"] and fresh.value == ed_b.value
    with app.app_context():
        assert db.session.query(LiveTextUpdate).count() < 50


def refused(ack: dict[str, Any], code: str, field: str | None = None) -> None:
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    if field:
        assert ack["error"]["field"] == field, ack


def test_bad_updates_are_refused_and_change_nothing(app, live_entry) -> None:
    incident, _, (a, ed_a), (b, _) = live_entry
    payload = {"incident_id": incident, "doc": ed_a.name}
    refused(call(a, "live_text.update", {**payload, "update": "not base64!"}), "invalid", "update")
    refused(
        call(a, "live_text.update", {**payload, "update": encoded(b"\x05")}), "invalid", "update"
    )
    refused(call(a, "live_text.update", {**payload, "update": 12}), "invalid", "update")
    huge = encoded(b"\x00" * (33 * 1024))
    refused(call(a, "live_text.update", {**payload, "update": huge}), "too_large")
    too_long = ed_a.edit(lambda text: text.insert(0, "x" * 10_001))
    refused(ed_a.send(too_long), "too_large", "update")
    for doc in ("entry:nope", "section:nope", "page:1", None, "entry:" + "0" * 80):
        refused(
            call(a, "live_text.open", {**payload, "doc": doc, "state_vector": "AA=="}),
            "invalid",
            "doc",
        )
    missing = "entry:00000000-0000-4000-8000-000000000000"
    refused(
        call(a, "live_text.open", {**payload, "doc": missing, "state_vector": "AA=="}), "not_found"
    )
    refused(
        call(a, "live_text.open", {**payload, "state_vector": "////"}), "invalid", "state_vector"
    )
    refused(
        call(
            a, "live_text.update", {"incident_id": incident + 1, "doc": ed_a.name, "update": "AAA="}
        ),
        "forbidden",
    )
    assert not received(b, "live_text.update")
    fresh = editor(b, incident, ed_a.name)
    assert fresh.open()["ok"] and fresh.value == "Checkout 502s"


def test_an_update_before_opening_is_refused(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "Checkout 502s")
    ed = editor(b, incident, f"entry:{entry['id']}")
    refused(ed.send(ed.edit(lambda text: text.insert(0, "x"))), "forbidden", "doc")


def test_a_deleted_entry_is_read_only(live_entry) -> None:
    incident, entry, (a, ed_a), _ = live_entry
    deleted = change(
        a, "timeline.delete", {"incident_id": incident, "entry_id": entry["id"], "base_version": 1}
    )
    assert deleted["ok"], deleted
    refused(ed_a.type(0, "x"), "forbidden", "doc")


def test_updates_are_rate_limited_per_user(app, live_entry) -> None:
    app.config["LIVE_TEXT_RATE_LIMIT_EVENTS"] = 5
    app.extensions.pop("incident_room.rate_limiter.LIVE_TEXT_RATE_LIMIT_EVENTS", None)
    _, _, (_, ed_a), _ = live_entry
    acks = [ed_a.type(0, "x") for _ in range(7)]
    assert [ack["ok"] for ack in acks] == [True] * 5 + [False] * 2
    refused(acks[-1], "rate_limited")
    assert acks[-1]["error"]["retry_after"] >= 1


def test_a_postmortem_section_is_edited_live_until_published(app, dana, fox) -> None:
    from tests.conftest import declare

    incident = declare(app, "dana", severity="SEV3")
    a, b = socket_client(app, "dana"), socket_client(app, "fox")
    for client in (a, b):
        assert call(client, "join", {"incident_id": incident})["ok"]
    assert change(a, "incident.all_clear", alone(incident))["ok"]
    ed_a, ed_b = editor(a, incident, "section:summary"), editor(b, incident, "section:summary")
    assert ed_a.open()["ok"] and ed_b.open()["ok"] and ed_a.value == ""
    assert ed_a.type(0, "Checkout failed for 40 minutes.")["ok"]
    relayed(b, ed_b)
    assert ed_b.type(0, "EU ")["ok"]
    assert ed_b.close()["ok"]
    got = call(a, "postmortem.get", {"incident_id": incident})
    summary = next(s for s in got["sections"] if s["key"] == "summary")
    assert summary["text"] == "EU Checkout failed for 40 minutes." and summary["version"] == 2
    assert {author["username"] for author in summary["authors"]} == {"dana", "fox"}
    # Typed just before publishing: published with it. Then frozen; a new revision's
    # document starts from the published text.
    assert ed_a.type(len(ed_a.value), " Fixed.")["ok"]
    for status in ("in_review", "published"):
        reason = "Reviewed together"
        ack = change(
            a,
            "postmortem.set_status",
            {"incident_id": incident, "status": status, "reason": reason},
        )
        assert ack["ok"], ack
    refused(ed_a.type(0, "late "), "invalid", "status")
    assert change(a, "postmortem.new_revision", {"incident_id": incident})["ok"]
    second = editor(b, incident, "section:summary")
    assert second.open()["ok"] and second.value == "EU Checkout failed for 40 minutes. Fixed."
    assert second.type(0, "Revised: ")["ok"]


def test_an_edit_outside_live_text_lands_right_after_wide_characters(live_entry) -> None:
    """pycrdt counts text positions in UTF-8 bytes and the browser's Yjs in UTF-16 units:
    the server's own update must put the change where the characters are."""
    incident, entry, (a, ed_a), (b, ed_b) = live_entry
    base = {"incident_id": incident, "entry_id": entry["id"]}
    first = change(a, "timeline.edit", {**base, "base_version": 1, "text": "Café 😀 — db down"})
    assert first["ok"], first
    assert ed_a.open()["ok"] and ed_a.value == "Café 😀 — db down"
    second = change(b, "timeline.edit", {**base, "base_version": 2, "text": "Café 😀 — db up"})
    assert second["ok"], second
    assert ed_a.open()["ok"] and ed_b.open()["ok"]
    assert ed_a.value == ed_b.value == "Café 😀 — db up"
    assert ed_a.type(len("Café 😀"), "!")["ok"]
    assert ed_a.close()["ok"]
    assert history(a, incident, entry["id"])[-1]["after"]["text"] == "Café 😀! — db up"
