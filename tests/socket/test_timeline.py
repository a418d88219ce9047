"""Co-editing the scribe log: versions, merges, conflicts, delete and restore, history."""

from tests.conftest import declare
from tests.socket.helpers import add_entry, call, change, received


def edit(client, incident, entry, base_version, **fields):
    return change(
        client,
        "timeline.edit",
        {"incident_id": incident, "entry_id": entry["id"], "base_version": base_version, **fields},
    )


def test_edit_bumps_version_and_everyone_sees_it(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "db latency up")
    ack = edit(b, incident, entry, 1, text="db latency up on primary")
    assert ack["ok"] and ack["entry"]["version"] == 2 and ack["merged"] is False
    seen = received(a)[-1]
    assert (seen["type"], seen["data"]["entry"]["text"]) == (
        "timeline.edited",
        "db latency up on primary",
    )


def test_stale_edit_of_other_words_is_merged_and_nothing_is_lost(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "Rolled back deploy 42; errors rising")
    assert edit(a, incident, entry, 1, text="Rolled back deploy 4211; errors rising")["ok"]
    ack = edit(b, incident, entry, 1, text="Rolled back deploy 42; errors falling")
    assert ack["ok"] and ack["merged"] is True
    assert ack["entry"]["text"] == "Rolled back deploy 4211; errors falling"
    assert ack["entry"]["version"] == 3


def test_stale_edit_of_a_different_field_is_merged(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "roll back")
    assert edit(a, incident, entry, 1, kind="decision")["ok"]
    ack = edit(b, incident, entry, 1, occurred_at="2026-03-14T01:55:00+01:00")
    assert ack["ok"]
    assert ack["entry"]["kind"] == "decision"
    assert ack["entry"]["occurred_at"] == "2026-03-14T00:55:00Z"


def test_overlapping_stale_edit_is_a_conflict_with_the_current_entry(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "errors started 02:10")
    assert edit(a, incident, entry, 1, text="errors started 02:11")["ok"]
    b.get_received()
    ack = edit(b, incident, entry, 1, text="errors started 02:09")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "conflict"
    assert ack["error"]["current"]["text"] == "errors started 02:11"
    assert ack["error"]["current"]["version"] == 2
    assert received(b) == []


def test_edit_with_unknown_base_version_is_invalid(room) -> None:
    incident, a, _ = room
    entry = add_entry(a, incident, "x")
    ack = edit(a, incident, entry, 5, text="y")
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", "base_version")


def test_delete_is_soft_and_restore_brings_it_back(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "wrong incident, sorry")
    ref = {"incident_id": incident, "entry_id": entry["id"]}
    deleted = change(a, "timeline.delete", {**ref, "base_version": 1})
    assert deleted["entry"]["deleted"] is True
    state = call(b, "join", {"incident_id": incident})
    assert next(e for e in state["timeline"] if e["id"] == entry["id"])["deleted"] is True
    restored = change(b, "timeline.restore", {**ref, "base_version": 2})
    assert restored["entry"]["deleted"] is False and restored["entry"]["version"] == 3


def test_delete_of_a_changed_entry_is_a_conflict(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "x")
    assert edit(a, incident, entry, 1, text="x2")["ok"]
    ack = change(
        b, "timeline.delete", {"incident_id": incident, "entry_id": entry["id"], "base_version": 1}
    )
    assert ack["error"]["code"] == "conflict"


def test_editing_a_deleted_entry_is_a_conflict(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "x")
    ref = {"incident_id": incident, "entry_id": entry["id"], "base_version": 1}
    assert change(a, "timeline.delete", ref)["ok"]
    assert edit(b, incident, entry, 1, text="y")["error"]["code"] == "conflict"


def test_history_keeps_every_version_with_who_and_when(room) -> None:
    incident, a, b = room
    entry = add_entry(a, incident, "first")
    edit(b, incident, entry, 1, text="second")
    change(
        a, "timeline.delete", {"incident_id": incident, "entry_id": entry["id"], "base_version": 2}
    )
    ack = call(a, "timeline.history", {"incident_id": incident, "entry_id": entry["id"]})
    revisions = ack["revisions"]
    assert [r["action"] for r in revisions] == ["create", "edit", "delete"]
    assert [r["actor"]["username"] for r in revisions] == ["dana", "fox", "dana"]
    assert revisions[1]["before"]["text"] == "first" and revisions[1]["after"]["text"] == "second"


def test_entries_are_ordered_by_when_they_happened(room) -> None:
    incident, a, _ = room
    add_entry(a, incident, "late", occurred_at="2026-03-14T03:00:00Z")
    add_entry(a, incident, "early", occurred_at="2026-03-14T01:00:00Z")
    texts = [e["text"] for e in call(a, "join", {"incident_id": incident})["timeline"]]
    assert texts.index("early") < texts.index("late")


def test_client_chosen_entry_id_is_kept_and_cannot_be_reused(room) -> None:
    incident, a, _ = room
    entry_id = "6f1c5f6e-9a55-4c1b-9a0e-2b2a9b6c1d11"
    entry = add_entry(a, incident, "offline note", entry_id=entry_id)
    assert entry["id"] == entry_id
    again = change(
        a,
        "timeline.add",
        {"incident_id": incident, "kind": "note", "text": "dup", "entry_id": entry_id},
    )
    assert (again["error"]["code"], again["error"]["field"]) == ("invalid", "entry_id")


def test_entry_of_another_incident_is_not_found(app, room) -> None:
    incident, a, _ = room
    other = declare(app, "dana", title="Other")
    assert call(a, "join", {"incident_id": other})["ok"]
    entry = add_entry(a, other, "elsewhere")
    ack = edit(a, incident, entry, 1, text="sneaky")
    assert ack["error"]["code"] == "not_found"


def test_a_rejoin_reads_every_entry_exactly_as_its_last_ack_gave_it(room) -> None:
    incident, a, b = room
    note = add_entry(a, incident, "db latency up")
    action = add_entry(b, incident, "fail over db-7", kind="action", details={"status": "doing"})
    gone = add_entry(a, incident, "typo")
    last = {
        "note": edit(b, incident, note, 1, text="db latency up on primary")["entry"],
        "action": action,
        "gone": change(
            a,
            "timeline.delete",
            {"incident_id": incident, "entry_id": gone["id"], "base_version": 1},
        )["entry"],
    }

    state = call(b, "join", {"incident_id": incident})

    by_id = {entry["id"]: entry for entry in state["timeline"]}
    for entry in last.values():
        assert by_id[entry["id"]] == entry
