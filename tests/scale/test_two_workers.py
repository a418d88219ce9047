"""Two real workers, one PostgreSQL and one Redis: the room behaves as if it were one."""

from __future__ import annotations

import functools
import uuid
from urllib.parse import urlsplit

from tests.scale.proxy import CuttableProxy
from tests.scale.records import incident_log, timeline_texts
from tests.support.live import RealClient, wait_until
from tests.support.services import TEST_REDIS_URL
from tests.support.threads import all_at_once

NOTES_PER_WRITER = 15


def write_notes(client: RealClient, incident_id: int, label: str, acks: list[dict]) -> None:
    for n in range(NOTES_PER_WRITER):
        note = {"incident_id": incident_id, "kind": "note", "text": f"{label} {n}"}
        acks.append(client.change("timeline.add", note))


def test_concurrent_writes_at_both_workers_reach_every_client_once_in_seq_order(cluster):
    room = cluster(workers=2, users=6)
    # Two writers and one silent reader on each worker.
    writers = [room.client(n % 2, f"user{n}") for n in range(4)]
    readers = [room.client(0, "user4"), room.client(1, "user5")]
    start = len(incident_log(room.database_url, room.incident_id))
    acks: list[dict] = []

    all_at_once(
        *(
            functools.partial(write_notes, writer, room.incident_id, f"writer {n}", acks)
            for n, writer in enumerate(writers)
        )
    )

    assert all(ack["ok"] for ack in acks)
    acked = sorted(ack["seq"] for ack in acks)
    assert len(set(acked)) == len(acked) == len(writers) * NOTES_PER_WRITER, "one seq per change"
    last = acked[-1]
    stored = [seq for seq, _ in incident_log(room.database_url, room.incident_id)]
    assert stored == list(range(1, last + 1)), "gap-free in the database"
    for client in writers + readers:
        wait_until(lambda c=client: last in c.seqs(room.incident_id), message="every event")
        received = [seq for seq in client.seqs(room.incident_id) if seq > start]
        assert received == list(range(start + 1, last + 1)), "each once, in seq order"


def test_a_worker_with_a_slow_link_to_redis_still_delivers_in_seq_order(cluster):
    """Worker B hears from Redis 50 ms late. Were B to hand its own events to its clients
    at once, they would overtake A's earlier ones still on the way; B delivers its own
    through Redis too, so its clients still get every seq in order."""
    redis = urlsplit(TEST_REDIS_URL)
    slow = CuttableProxy(redis.hostname, redis.port, delay=0.05)
    slow_queue = f"redis://127.0.0.1:{slow.port}{redis.path}"
    room = cluster(workers=2, users=3, worker_env={1: {"SOCKETIO_MESSAGE_QUEUE": slow_queue}})
    writers = [room.client(0, "user0"), room.client(1, "user1")]
    reader = room.client(1, "user2")
    start = len(incident_log(room.database_url, room.incident_id))
    acks: list[dict] = []

    all_at_once(
        *(
            functools.partial(write_notes, writer, room.incident_id, f"writer {n}", acks)
            for n, writer in enumerate(writers)
        )
    )

    last = max(ack["seq"] for ack in acks)
    wait_until(lambda: last in reader.seqs(room.incident_id), message="every event")
    received = [seq for seq in reader.seqs(room.incident_id) if seq > start]
    assert received == list(range(start + 1, last + 1))
    slow.cut()


def test_an_op_id_retried_at_the_other_worker_is_applied_once(cluster):
    room = cluster(workers=2, users=2)
    on_a, on_b = room.client(0, "user0"), room.client(1, "user0")
    op = {
        "incident_id": room.incident_id,
        "op_id": str(uuid.uuid4()),
        "kind": "decision",
        "text": "Roll back deploy 42",
    }
    acks: list[dict] = []

    all_at_once(
        lambda: acks.append(on_a.call("timeline.add", op)),
        lambda: acks.append(on_b.call("timeline.add", op)),
    )

    assert acks[0]["ok"] and acks[0] == acks[1], "the second ack repeats the first"
    texts = timeline_texts(room.database_url, room.incident_id)
    assert texts.count("Roll back deploy 42") == 1
    again = on_b.call("timeline.add", op)
    assert again == acks[0]
    assert timeline_texts(room.database_url, room.incident_id).count("Roll back deploy 42") == 1


def names_present(client: RealClient, incident_id: int) -> set[str]:
    latest = [p for p in client.presence if p["incident_id"] == incident_id]
    return {user["display_name"] for user in latest[-1]["users"]} if latest else set()


def test_presence_spans_workers_and_forgets_a_killed_worker(cluster):
    room = cluster(workers=2, users=2)
    on_a = room.client(0, "user0")
    on_b = room.client(1, "user1")
    both = {"User 0", "User 1"}
    wait_until(lambda: names_present(on_a, room.incident_id) == both, message="A sees both")
    wait_until(lambda: names_present(on_b, room.incident_id) == both, message="B sees both")

    room.workers[0].kill()

    wait_until(
        lambda: names_present(on_b, room.incident_id) == {"User 1"},
        timeout=30,
        message="the killed worker's user leaves the room on B",
    )
