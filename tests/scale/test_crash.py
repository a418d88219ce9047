"""kill -9 a worker in the middle of a burst of edits: nothing acked is lost, nothing doubles."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import socketio
from sqlalchemy import create_engine, text

from tests.scale.conftest import WORKER_START_SECONDS
from tests.scale.contract_client import ResyncingClient
from tests.scale.records import incident_log, timeline_texts
from tests.support.live import wait_until
from tests.support.threads import in_background

BURST = 300
KILL_AFTER_ACKS = 25
RATE_LIMITED_PAUSE_SECONDS = 0.5


@dataclass
class Burst:
    """Edits sent one after another; the one in flight when the worker died is kept."""

    incident_id: int
    acked: list[dict[str, Any]] = field(default_factory=list)
    in_flight: dict[str, Any] | None = None
    refused: dict[str, Any] | None = None

    def edit(self, n: int) -> dict[str, Any]:
        text = f"burst edit {n}"
        return {
            "incident_id": self.incident_id,
            "op_id": str(uuid.uuid4()),
            "kind": "note",
            "text": text,
        }

    def send(self, client: ResyncingClient, numbers: range) -> None:
        """Send until the worker is gone; an edit refused for any reason but the rate limit
        (which the burst soon reaches: the edit is resent later, as the browser does) ends
        the burst and is kept in `refused` for the test to see."""
        for n in numbers:
            self.in_flight = self.edit(n)
            try:
                ack = self._call_until_not_rate_limited(client)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                return  # the worker is gone; in_flight may or may not have been applied
            if not ack["ok"]:
                self.refused = ack
                return
            self.acked.append({**self.in_flight, "seq": ack["seq"]})
            self.in_flight = None

    def _call_until_not_rate_limited(self, client: ResyncingClient) -> dict[str, Any]:
        while True:
            ack = client.call("timeline.add", self.in_flight, timeout=5)
            if ack["ok"] or ack["error"]["code"] != "rate_limited":
                return ack
            time.sleep(RATE_LIMITED_PAUSE_SECONDS)


def test_kill_9_mid_burst_loses_no_acked_edit_and_duplicates_nothing(cluster):
    room = cluster(workers=2, users=2)
    a, b = room.workers
    writer = ResyncingClient(a.url, "user0").connect()
    observer = ResyncingClient(b.url, "user1").connect()
    room.clients += [writer, observer]
    writer.join(room.incident_id)
    observer.join(room.incident_id)
    burst = Burst(room.incident_id)
    sending = in_background(burst.send, writer, range(BURST))
    wait_until(lambda: len(burst.acked) >= KILL_AFTER_ACKS, message="the burst is under way")

    a.kill()
    sending.result(timeout=30)  # re-raises whatever failed in the burst

    assert burst.refused is None, burst.refused
    assert burst.in_flight is not None, "the worker died with an edit in flight"
    assert len(burst.acked) < BURST
    # The writer's browser reconnects - the proxy sends it to B - resyncs, and resends the
    # edit it never got an ack for, with the same op_id.
    writer.disconnect()
    moved = ResyncingClient(b.url, "user0").connect()
    room.clients.append(moved)
    moved.join(room.incident_id, since=writer.applied[-1])
    resent = moved.call("timeline.add", burst.in_flight)
    assert resent["ok"]
    burst.acked.append({**burst.in_flight, "seq": resent["seq"]})
    burst.in_flight = None
    burst.send(moved, range(BURST, BURST + 5))
    assert burst.refused is None, burst.refused
    a.start(WORKER_START_SECONDS)  # the killed worker comes back

    last = burst.acked[-1]["seq"]
    stored = incident_log(room.database_url, room.incident_id)
    assert [seq for seq, _ in stored] == list(range(1, last + 1)), "gap-free, nothing after"
    texts = timeline_texts(room.database_url, room.incident_id)
    for edit in burst.acked:
        assert texts.count(edit["text"]) == 1, f"acked once, stored once: {edit['text']}"
    assert len(texts) == len(set(texts)), "nothing duplicated"
    for client in (observer, moved):
        wait_until(lambda c=client: c.applied[-1:] == [last], message="caught up")
        assert client.applied == list(range(1, last + 1)), "every seq once, in order"
    fresh = ResyncingClient(a.url, "user1").connect()
    room.clients.append(fresh)
    state = fresh.join(room.incident_id)
    assert state["seq"] == last
    assert {e["text"] for e in state["timeline"]} >= {e["text"] for e in burst.acked}


def revisions_of(database_url: str, entry_id: str) -> list[int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            query = text("SELECT version FROM timeline_revisions WHERE entry_id = :id ORDER BY 1")
            return [row[0] for row in conn.execute(query, {"id": entry_id})]
    finally:
        engine.dispose()


def test_a_worker_killed_after_an_edit_commits_and_before_its_ack(cluster):
    """Every run, not by luck: worker A dies the moment the edit has committed (the crash
    hook), the client resends the same op_id to worker B, and gets the same ack; the entry
    has exactly one revision for the edit."""
    doomed = str(uuid.uuid4())
    room = cluster(workers=2, users=1, worker_env={0: {"CRASH_AFTER_COMMIT_OP_ID": doomed}})
    a, b = room.workers
    writer = ResyncingClient(a.url, "user0").connect()
    room.clients.append(writer)
    writer.join(room.incident_id)
    entry = writer.call(
        "timeline.add",
        {"incident_id": room.incident_id, "op_id": str(uuid.uuid4()), "kind": "note", "text": "v1"},
    )["entry"]
    edit = {
        "incident_id": room.incident_id,
        "op_id": doomed,
        "entry_id": entry["id"],
        "base_version": 1,
        "text": "Rolled back to build 41",
    }
    with pytest.raises(socketio.exceptions.TimeoutError):
        writer.call("timeline.edit", edit, timeout=5)
    wait_until(lambda: a.process.poll() is not None, message="worker A died at the hook")
    assert revisions_of(room.database_url, entry["id"]) == [1, 2], "committed before the crash"

    moved = ResyncingClient(b.url, "user0").connect()
    room.clients.append(moved)
    moved.join(room.incident_id)
    first = moved.call("timeline.edit", edit)
    again = moved.call("timeline.edit", edit)
    assert first["ok"] and first["entry"]["version"] == 2
    assert first["entry"]["text"] == "Rolled back to build 41"
    assert again == first, "the stored ack, not a second edit"
    assert revisions_of(room.database_url, entry["id"]) == [1, 2], "one revision for the edit"
