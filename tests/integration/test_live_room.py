"""The live room over real Socket.IO connections to a real server process."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
import requests
import socketio

from incident_room.extensions import db
from incident_room.models import Incident
from incident_room.unit_of_work.chain import verify_chain
from tests.conftest import dispose, make_app
from tests.support.live import RealClient, wait_until


def connect_all(room, count: int) -> list[RealClient]:
    """Connect and join `count` users; returns them once every join has been broadcast."""
    clients = []
    for name in room.usernames[:count]:
        client = RealClient(room.server.url, name).connect()
        ack = client.call("join", {"incident_id": room.incident_id})
        assert ack["ok"]
        clients.append(client)
    wait_until(lambda: ack["seq"] in clients[0].seqs(room.incident_id) or count == 1)
    return clients


def seqs_after(client: RealClient, room, start: int) -> list[int]:
    return [seq for seq in client.seqs(room.incident_id) if seq > start]


@pytest.mark.parametrize("count", [2, 10])
def test_every_client_sees_the_same_events_in_the_same_order(live_room, database_url, count):
    """Concurrent writers: seq is distinct and gap-free, and every client sees it in order."""
    room = live_room(database_url, users=count)
    clients = connect_all(room, count)
    start = clients[0].seqs(room.incident_id)[-1] if count > 1 else 1
    acks: list[dict[str, Any]] = []

    def write(client: RealClient, n: int) -> None:
        for i in range(n):
            ack = client.change(
                "timeline.add",
                {"incident_id": room.incident_id, "kind": "note", "text": f"note {i}"},
            )
            acks.append(ack)

    threads = [threading.Thread(target=write, args=(c, 5)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(ack["ok"] for ack in acks)
    last = max(ack["seq"] for ack in acks)
    for client in clients:
        wait_until(lambda c=client: last in c.seqs(room.incident_id), message="all events")
    reference = seqs_after(clients[0], room, start)
    assert reference == list(range(start + 1, last + 1)), "in order, once each, no gaps"
    assert len(reference) == len(acks)
    for client in clients[1:]:
        assert seqs_after(client, room, start) == reference
    for client in clients:
        client.disconnect()
    assert_chain_intact(database_url, room.incident_id)


def test_reconnect_with_since_gets_exactly_the_missed_events(live_room, sqlite_url) -> None:
    room = live_room(sqlite_url, users=2)
    writer, reader = connect_all(room, 2)
    writer.change("timeline.add", {"incident_id": room.incident_id, "kind": "note", "text": "a"})
    wait_until(lambda: len(reader.events) == 1)
    seen = reader.events[-1]["seq"]
    reader.disconnect()
    for text in ("missed 1", "missed 2", "missed 3"):
        writer.change(
            "timeline.add", {"incident_id": room.incident_id, "kind": "note", "text": text}
        )
    again = RealClient(room.server.url, room.usernames[1]).connect()
    ack = again.call("join", {"incident_id": room.incident_id, "since": seen})
    assert [e["data"]["entry"]["text"] for e in ack["events"]] == [
        "missed 1",
        "missed 2",
        "missed 3",
    ]
    assert [e["seq"] for e in ack["events"]] == [seen + 1, seen + 2, seen + 3]
    writer.disconnect()
    again.disconnect()


def test_anonymous_and_cross_origin_connections_are_refused(live_room, sqlite_url) -> None:
    room = live_room(sqlite_url)
    anonymous = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect(room.server.url, transports=["websocket"])
    foreign = RealClient(room.server.url, room.usernames[0])
    cookie = "; ".join(f"{k}={v}" for k, v in foreign.http.cookies.items())
    with pytest.raises(socketio.exceptions.ConnectionError):
        foreign.sio.connect(
            room.server.url,
            headers={"Cookie": cookie, "Origin": "http://evil.example"},
            transports=["websocket"],
        )


def _apply(view: dict[str, dict[str, Any]], entry: dict[str, Any]) -> None:
    if entry["id"] not in view or view[entry["id"]]["version"] < entry["version"]:
        view[entry["id"]] = entry


EDITS_PER_CLIENT = 4


def test_twenty_clients_co_editing_lose_no_acknowledged_edit(live_room, sqlite_url) -> None:
    room = live_room(sqlite_url, users=20)
    clients = connect_all(room, 20)
    entries = [
        clients[0].change(
            "timeline.add",
            {"incident_id": room.incident_id, "kind": "note", "text": f"shared entry {n} alpha"},
        )["entry"]
        for n in range(3)
    ]
    accepted: list[dict[str, Any]] = []
    refused: list[str] = []
    guard = threading.Lock()

    def edit_for_a_while(client: RealClient, seed: int) -> None:
        rng = random.Random(seed)
        view = {e["id"]: e for e in entries}
        for _ in range(EDITS_PER_CLIENT):
            for event in list(client.events):
                if "entry" in event["data"]:
                    _apply(view, event["data"]["entry"])
            target = view[rng.choice(entries)["id"]]
            ack = client.change(
                "timeline.edit",
                {
                    "incident_id": room.incident_id,
                    "entry_id": target["id"],
                    "base_version": target["version"],
                    "text": f"{target['text']} w{seed}x{rng.randint(0, 999)}",
                },
            )
            with guard:
                (
                    accepted.append(ack["entry"])
                    if ack["ok"]
                    else refused.append(ack["error"]["code"])
                )
            if ack["ok"]:
                _apply(view, ack["entry"])
            time.sleep(0.15)

    threads = [
        threading.Thread(target=edit_for_a_while, args=(c, n)) for n, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(accepted) + len(refused) == len(clients) * EDITS_PER_CLIENT, "every edit answered"
    assert len(accepted) >= EDITS_PER_CLIENT, "each round of racing edits lets one through"
    assert set(refused) <= {"conflict"}, refused

    state = clients[0].http.get(f"{room.server.url}/api/incidents/{room.incident_id}").json()
    database = {e["id"]: e for e in state["timeline"] if e["id"] in {x["id"] for x in entries}}
    for client in clients:
        wait_until(lambda c=client: state["seq"] in c.seqs(room.incident_id), message="caught up")
        view: dict[str, dict[str, Any]] = {}
        for event in client.events:
            if "entry" in event["data"]:
                _apply(view, event["data"]["entry"])
        assert {k: view[k] for k in database} == database

    for entry in entries:
        url = f"{room.server.url}/api/incidents/{room.incident_id}/entries/{entry['id']}/history"
        revisions = requests.get(url, cookies=clients[0].http.cookies).json()["revisions"]
        by_version = {r["version"]: r["after"]["text"] for r in revisions}
        for acked in (a for a in accepted if a["id"] == entry["id"]):
            assert by_version[acked["version"]] == acked["text"]
        final = database[entry["id"]]["text"]
        for acked in (a for a in accepted if a["id"] == entry["id"]):
            suffix = acked["text"].rsplit(" ", 1)[-1]
            assert suffix in final, "a merged edit keeps every accepted word"
    for client in clients:
        client.disconnect()
    assert_chain_intact(sqlite_url, room.incident_id)


def assert_chain_intact(database_url: str, incident_id: int) -> None:
    """Under concurrent writers every event still links to the one before it."""
    app = make_app(database_url)
    with app.app_context():
        report = verify_chain(db.session.get(Incident, incident_id))
    dispose(app)
    assert report.intact, report
