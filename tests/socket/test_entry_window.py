"""When an entry may say it happened: a sane window around the incident, so one hostile
date cannot make every export of the incident crawl. Outside it: `invalid`, nothing kept."""

from datetime import timedelta

import pytest

from incident_room.clock import iso
from tests.conftest import declare
from tests.socket.helpers import add_entry, call, change, join_all


@pytest.fixture
def room(app, dana, clock):
    incident = declare(app, "dana", severity="SEV2")
    [client] = join_all(app, incident, "dana")
    return incident, client, clock.current


def entries(client, incident):
    """The notes people wrote (the declaration's own entry aside)."""
    timeline = call(client, "join", {"incident_id": incident})["timeline"]
    return [entry for entry in timeline if entry["kind"] == "note"]


@pytest.mark.parametrize(
    "occurred_at",
    ["1000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"],
)
def test_absurd_times_are_refused_with_the_window_and_nothing_is_kept(room, occurred_at) -> None:
    incident, client, _ = room
    ack = change(
        client,
        "timeline.add",
        {"incident_id": incident, "kind": "note", "text": "x", "occurred_at": occurred_at},
    )
    assert (ack["ok"], ack["error"]["code"], ack["error"]["field"]) == (
        False,
        "invalid",
        "occurred_at",
    )
    assert "30 days before the declaration" in ack["error"]["message"]
    assert "an hour from now" in ack["error"]["message"]
    assert entries(client, incident) == []


@pytest.mark.parametrize(
    ("offset", "kept"),
    [
        (-timedelta(days=30), True),  # impact found late: the window's first moment
        (-timedelta(days=30, seconds=1), False),
        (timedelta(minutes=59), True),  # a browser clock running ahead
        (timedelta(hours=1, minutes=1), False),
    ],
)
def test_the_window_runs_from_30_days_before_to_an_hour_ahead(room, offset, kept) -> None:
    incident, client, declared = room
    payload = {"incident_id": incident, "kind": "note", "text": "Pool alarms began"}
    ack = change(client, "timeline.add", {**payload, "occurred_at": iso(declared + offset)})
    assert ack["ok"] is kept
    assert len(entries(client, incident)) == int(kept)


def test_an_edit_into_another_millennium_is_refused_and_changes_nothing(room) -> None:
    incident, client, _ = room
    entry = add_entry(client, incident, "Pool alarms began")
    ack = change(
        client,
        "timeline.edit",
        {
            "incident_id": incident,
            "entry_id": entry["id"],
            "base_version": 1,
            "occurred_at": "1000-01-01T00:00:00Z",
        },
    )
    assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", "occurred_at")
    [kept] = entries(client, incident)
    assert (kept["occurred_at"], kept["version"]) == (entry["occurred_at"], 1)
